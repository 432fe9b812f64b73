package dev.vigil.config;

import java.net.URI;
import java.util.List;

/**
 * {@code tracing}: OpenTelemetry traces over OTLP/HTTP (protobuf). Off unless {@code enabled} is
 * true here or the standard environment asks for it ({@code OTEL_TRACES_EXPORTER=otlp},
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} set, and
 * {@code OTEL_SDK_DISABLED} not true). The values here are defaults: every standard
 * {@code OTEL_*} variable overrides them. Immutable.
 *
 * @param enabled trace even when no OTEL_* variable asks for it
 * @param endpoint the OTLP/HTTP base URL (the exporter posts to {@code /v1/traces} under it), or null for
 *     the SDK's default ({@code http://localhost:4318})
 * @param serviceName the resource's {@code service.name}, null for the command's ({@code vigil-monitor}, ...)
 * @param sampleRatio the fraction of root spans (polls) kept, 0 to 1; child spans follow their parent
 */
public record TracingConfig(boolean enabled, URI endpoint, String serviceName, double sampleRatio) {
  private static final List<String> KEYS = List.of("enabled", "endpoint", "serviceName", "sampleRatio");

  /** Off (what a configuration without the section, or built in code, gets). */
  public static TracingConfig disabled() {
    return new TracingConfig(false, null, null, 1.0);
  }

  static TracingConfig read(Node node) {
    Mapping m = Mapping.of(node, KEYS);
    boolean enabled = m.bool("enabled", false);
    String endpoint = m.string("endpoint", null);
    URI uri = null;
    if (endpoint != null) {
      try {
        uri = URI.create(endpoint);
        m.check("endpoint", ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null,
            "must be an http or https URL, got '" + endpoint + "'");
      } catch (IllegalArgumentException e) {
        m.check("endpoint", false, "must be an http or https URL, got '" + endpoint + "'");
        uri = null;
      }
    }
    String serviceName = m.string("serviceName", null);
    m.check("serviceName", serviceName == null || !serviceName.isBlank(), "must not be empty");
    double ratio = m.number("sampleRatio", 1.0);
    m.check("sampleRatio", ratio >= 0 && ratio <= 1, "must be from 0 to 1, got " + ratio);
    return new TracingConfig(enabled, uri, serviceName, ratio >= 0 && ratio <= 1 ? ratio : 1.0);
  }
}
