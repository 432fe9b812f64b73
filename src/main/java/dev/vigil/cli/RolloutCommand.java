package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil rollout start|status|pause|resume|promote|abort}: the operator's side of progressive
 * migrations, talking to the rollback controller's {@code /api/v1/rollouts} with the bearer admin
 * token from {@code VIGIL_ADMIN_TOKEN}. Prints a table, or the controller's JSON with {@code --json}.
 * Exit status: 0 done, 1 refused by the controller (the reason printed), 2 no token or no controller.
 */
@Command(
    name = "rollout",
    mixinStandardHelpOptions = true,
    description = "Start and steer progressive rollouts (blue -> green, step by step) on the rollback controller.")
final class RolloutCommand extends ParentCommand {
  static final String TOKEN_ENV = "VIGIL_ADMIN_TOKEN";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> COLUMNS = List.of("SERVICE", "ROLLOUT", "STATE", "STEP", "WEIGHTS", "DETAIL");
  private final Map<String, String> env;

  RolloutCommand() {
    this(System.getenv());
  }

  /** With {@code env} in place of the process environment, for tests. */
  RolloutCommand(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** The options every subcommand takes. */
  static final class Target {
    @Option(names = "--controller", paramLabel = "URL", defaultValue = "http://127.0.0.1:9471",
        description = "The rollback controller's HTTP address (default: ${DEFAULT-VALUE}).")
    URI controller;

    @Option(names = "--json", description = "Print the controller's JSON answer.")
    boolean json;
  }

  @Command(name = "start", mixinStandardHelpOptions = true,
      description = "Start a rollout of SERVICE, or with --all the whole plan (rollout.order, one after another).")
  int start(@Mixin Target t, @Parameters(arity = "0..1", paramLabel = "SERVICE") String service,
      @Option(names = "--all", description = "Start the plan of rollout.order.") boolean all) {
    if (all == (service != null)) {
      throw new Main.InputException("give SERVICE or --all (not both)");
    }
    String body = all ? "{\"plan\":true}" : JSON.createObjectNode().put("service", service).toString();
    return call(t, "POST", "", body);
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "List every service's last rollout.")
  int status(@Mixin Target t) {
    return call(t, "GET", "", null);
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause SERVICE's rollout where it is.")
  int pause(@Mixin Target t, @Parameters(paramLabel = "SERVICE") String service) {
    return call(t, "POST", "/" + service + "/pause", "");
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume SERVICE's paused rollout.")
  int resume(@Mixin Target t, @Parameters(paramLabel = "SERVICE") String service) {
    return call(t, "POST", "/" + service + "/resume", "");
  }

  @Command(name = "promote", mixinStandardHelpOptions = true,
      description = "Approve the manual gate SERVICE's rollout waits at (rollout.manualGates).")
  int promote(@Mixin Target t, @Parameters(paramLabel = "SERVICE") String service) {
    return call(t, "POST", "/" + service + "/promote", "");
  }

  @Command(name = "abort", mixinStandardHelpOptions = true,
      description = "Abort SERVICE's rollout: all traffic back on the from side, validated.")
  int abort(@Mixin Target t, @Parameters(paramLabel = "SERVICE") String service) {
    return call(t, "POST", "/" + service + "/abort", "");
  }

  private int call(Target t, String method, String path, String body) {
    String token = env.get(TOKEN_ENV);
    if (token == null || token.isBlank()) {
      throw new Main.InputException(TOKEN_ENV + " is not set: export the controller's server.adminToken");
    }
    String base = t.controller.toString().replaceAll("/+$", "");
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + "/api/v1/rollouts" + path))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token.strip())
        .header("Accept", "application/json");
    req = body == null ? req.GET() : req.header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> resp;
    try {
      resp = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
          .send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Main.InputException("--controller " + base + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Main.InputException("interrupted");
    }
    PrintWriter out = spec.commandLine().getOut();
    JsonNode answer;
    try {
      answer = JSON.readTree(resp.body());
    } catch (IOException e) {
      throw new Main.InputException("--controller " + base + ": HTTP " + resp.statusCode() + ", not JSON");
    }
    if (t.json) {
      out.println(answer.toString());
    }
    if (resp.statusCode() / 100 != 2) {
      spec.commandLine().getErr().println("vigil rollout: HTTP " + resp.statusCode() + ": "
          + answer.path("error").asText(resp.body()));
      return resp.statusCode() == 401 || resp.statusCode() == 403 ? 2 : 1;
    }
    if (!t.json) {
      List<List<String>> rows = new ArrayList<>();
      answer.path("rollouts").forEach(r -> rows.add(row(r)));
      if (answer.has("rollout")) {
        rows.add(row(answer.get("rollout")));
      }
      RecordLogListing.table(out, COLUMNS, rows);
    }
    out.flush();
    return 0;
  }

  private static List<String> row(JsonNode r) {
    StringBuilder w = new StringBuilder();
    for (Iterator<Map.Entry<String, JsonNode>> it = r.path("weights").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      w.append(w.length() == 0 ? "" : "/").append(e.getKey()).append(' ').append(e.getValue().asInt());
    }
    return List.of(RecordLogListing.cell(r.path("service").asText()), RecordLogListing.cell(r.path("rolloutId").asText()),
        r.path("state").asText(), r.path("step").asInt() + "/" + r.path("steps").size(), w.toString(),
        RecordLogListing.cell(r.path("detail").asText()));
  }
}
