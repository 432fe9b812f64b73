package dev.vigil.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.config.ConfigLoader;
import dev.vigil.config.VigilConfig;
import dev.vigil.events.EventSink;
import dev.vigil.poll.TestVertx;
import dev.vigil.score.BreachTransition;
import dev.vigil.score.TargetId;
import dev.vigil.sim.Fault;
import dev.vigil.sim.FleetSimulator;
import dev.vigil.sim.SimulatorOptions;
import dev.vigil.tracing.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real monitor polling a real simulator with tracing on, spans in the SDK's in-memory exporter. */
class MonitorTracingTest {
  private static final AttributeKey<String> VERDICT = AttributeKey.stringKey("vigil.verdict");
  @TempDir Path dir;
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private Tracing before;
  private Vertx vertx;

  @BeforeEach
  void on() {
    before = Tracing.install(Tracing.forTesting(spans));
    vertx = TestVertx.create();
  }

  @AfterEach
  void off() throws Exception {
    TestVertx.await(vertx.close());
    Tracing.install(before).close();
  }

  private List<SpanData> named(String name) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
  }

  @Test
  void aPollIsASpanWithProbeAndVerifyChildrenAndABreachTransitionLinksToItsPoll() throws Exception {
    FleetSimulator sim = TestVertx.await(FleetSimulator.start(vertx, SimulatorOptions.defaults()
        .withServices(List.of("integrity-service")).withEnvironments(List.of("green")).withBasePort(0).withAdminPort(0)));
    sim.writePublicKeys(dir);
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(file, FleetHarness.yaml(sim, sim.targets(), ""));
    VigilConfig config = ConfigLoader.load(file, Map.of()).orElseThrow();
    List<String> currentAtSink = new CopyOnWriteArrayList<>();
    EventSink sink = t -> {
      if (t.kind() == BreachTransition.Kind.OPENED) {
        currentAtSink.add(Span.current().getSpanContext().getSpanId());
      }
    };
    TargetId id = sim.targets().get(0);
    TestVertx.await(sim.setFault(id, Fault.TAMPERED_HASH));
    TestVertx.await(vertx.deployVerticle(MonitorBuilder.of(config).events(sink).build()));
    // A first poll may time out on a loaded machine (400 ms) and open an availability breach first:
    // the breach under test is the one the tampered hash opened.
    await().atMost(Duration.ofSeconds(30)).until(() -> !hashBreaches().isEmpty());

    SpanData breach = hashBreaches().get(0);
    assertThat(currentAtSink).as("the transition span is current while the sink takes the event")
        .contains(breach.getSpanId());
    assertThat(breach.getAttributes().get(AttributeKey.stringKey("vigil.service"))).isEqualTo("integrity-service");
    assertThat(breach.getLinks()).hasSize(1);
    String pollSpanId = breach.getLinks().get(0).getSpanContext().getSpanId();
    SpanData poll = named("vigil.poll").stream().filter(p -> p.getSpanId().equals(pollSpanId)).findFirst().orElseThrow();
    assertThat(poll.getAttributes().get(VERDICT)).isEqualTo("hash_mismatch");
    assertThat(poll.getParentSpanContext().isValid()).as("a poll is a root span").isFalse();
    List<SpanData> children = spans.getFinishedSpanItems().stream()
        .filter(s -> s.getParentSpanId().equals(poll.getSpanId())).toList();
    assertThat(children).extracting(SpanData::getName).contains("vigil.probe", "vigil.verify");
    assertThat(children).allSatisfy(c -> assertThat(c.getTraceId()).isEqualTo(poll.getTraceId()));
    assertThat(children.stream().filter(c -> c.getName().equals("vigil.verify")).findFirst().orElseThrow()
        .getAttributes().get(VERDICT)).isEqualTo("hash_mismatch");
    TestVertx.await(sim.stop());
  }

  private List<SpanData> hashBreaches() {
    return named("vigil.breach.opened").stream()
        .filter(b -> "hash_mismatch".equals(b.getAttributes().get(AttributeKey.stringKey("vigil.verdict")))).toList();
  }
}
