package dev.vigil.rollout;

import dev.vigil.config.RolloutConfig;
import dev.vigil.poll.HttpProbe;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PromQL checks: each configured query, its {@code {{service}}} and {@code {{environment}}}
 * replaced, sent to the Prometheus HTTP API ({@code GET /api/v1/query}); the first sample's value
 * (vector or scalar) is held against the query's bounds. No sample, a NaN, an error answer or an
 * unreachable Prometheus is "no data": an inconclusive check, which the step machine counts as a
 * failure after {@code inconclusiveLimit}. The threshold recorded is {@code max} when set, else
 * {@code min}. Non-blocking; thread-safe.
 */
public final class PrometheusAnalysis implements Analysis {
  private static final Logger LOG = LoggerFactory.getLogger(PrometheusAnalysis.class);
  private static final int MAX_BODY = 1 << 20;

  private final RolloutConfig.Prometheus config;
  private final HttpClientAgent client;
  private final String base;

  public PrometheusAnalysis(Vertx vertx, RolloutConfig.Prometheus config) {
    this.config = config;
    String u = config.url().toString();
    this.base = u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    HttpClientOptions o = new HttpClientOptions().setMaxRedirects(0)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis()));
    if ("https".equals(config.url().getScheme())) {
      HttpProbe.withTls(o.setSsl(true), config.tls());
    }
    this.client = vertx.createHttpClient(o);
  }

  @Override
  public Future<List<Check>> run(String service, String environment) {
    Future<List<Check>> all = Future.succeededFuture(List.of());
    for (RolloutConfig.Query q : config.queries()) {
      all = all.compose(before -> check(q, q.expand(service, environment)).map(c -> {
        List<Check> out = new ArrayList<>(before);
        out.add(c);
        return out;
      }));
    }
    return all;
  }

  private Future<Check> check(RolloutConfig.Query q, String promql) {
    double threshold = q.max() != null ? q.max() : q.min();
    return query(promql).transform(ar -> {
      if (ar.failed()) {
        LOG.warn("PromQL check {}: no data ({})", q.name(), ar.cause().getMessage());
        return Future.succeededFuture(Check.noData(q.name(), threshold));
      }
      Double v = ar.result();
      if (v == null || v.isNaN()) {
        return Future.succeededFuture(Check.noData(q.name(), threshold));
      }
      boolean passed = (q.min() == null || v >= q.min()) && (q.max() == null || v <= q.max());
      return Future.succeededFuture(Check.of(q.name(), v, threshold, passed));
    });
  }

  /** The first sample's value of {@code promql}, null when the result is empty. */
  Future<Double> query(String promql) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setFollowRedirects(false)
        .setAbsoluteURI(base + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
        .putHeader("Accept", "application/json");
    if (config.bearerToken() != null) {
      o.putHeader("Authorization", "Bearer " + config.bearerToken());
    }
    return client.request(o).compose(req -> req.send()).compose(resp -> {
      if (resp.statusCode() != 200) {
        return Future.failedFuture("Prometheus answered HTTP " + resp.statusCode());
      }
      return resp.body();
    }).timeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS).compose(body -> {
      if (body.length() > MAX_BODY) {
        return Future.failedFuture("Prometheus answer longer than " + MAX_BODY + " bytes");
      }
      return Future.succeededFuture(first(body.toJsonObject()));
    });
  }

  static Double first(JsonObject answer) {
    if (!"success".equals(answer.getString("status"))) {
      throw new IllegalArgumentException("Prometheus status " + answer.getString("status") + ": "
          + answer.getString("error"));
    }
    JsonObject data = answer.getJsonObject("data");
    String type = data.getString("resultType");
    JsonArray sample;
    if ("scalar".equals(type)) {
      sample = data.getJsonArray("result");
    } else if ("vector".equals(type)) {
      JsonArray result = data.getJsonArray("result");
      if (result.isEmpty()) {
        return null;
      }
      sample = result.getJsonObject(0).getJsonArray("value");
    } else {
      throw new IllegalArgumentException("unsupported resultType " + type + " (use an instant vector or a scalar)");
    }
    return Double.valueOf(sample.getString(1));
  }

  /** Closes the HTTP client. */
  public Future<Void> close() {
    return client.close();
  }
}
