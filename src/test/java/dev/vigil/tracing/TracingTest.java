package dev.vigil.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.config.TracingConfig;
import dev.vigil.events.CloudEvent;
import dev.vigil.events.EventMetrics;
import dev.vigil.events.Outbox;
import dev.vigil.events.OutboxPublisher;
import dev.vigil.events.SignedEvent;
import dev.vigil.monitor.MonitorMetrics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TracingTest {
  @TempDir Path dir;

  @Nested
  class Off {
    @Test
    void offUnlessTheSectionOrTheStandardEnvironmentAsks() {
      TracingConfig none = TracingConfig.disabled();
      assertThat(Tracing.wanted(none, Map.of())).isFalse();
      assertThat(Tracing.wanted(none, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"))).isTrue();
      assertThat(Tracing.wanted(none, Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318/v1/traces"))).isTrue();
      assertThat(Tracing.wanted(none, Map.of("OTEL_TRACES_EXPORTER", "otlp"))).isTrue();
      TracingConfig on = new TracingConfig(true, null, null, 1.0);
      assertThat(Tracing.wanted(on, Map.of())).isTrue();
      assertThat(Tracing.wanted(on, Map.of("OTEL_SDK_DISABLED", "true"))).isFalse();
      assertThat(Tracing.wanted(on, Map.of("OTEL_TRACES_EXPORTER", "none"))).isFalse();
    }

    @Test
    void offCostsNothingItBuildsNoSdkAndHandsOutTheInvalidSpan() {
      Tracing t = Tracing.start(TracingConfig.disabled(), Map.of(), "vigil-monitor");
      assertThat(t).isSameAs(Tracing.off());
      assertThat(t.enabled()).isFalse();
      assertThat(t.start("vigil.poll", null, SpanKind.INTERNAL)).isSameAs(Span.getInvalid());
      assertThat(t.startLinked("x", null, SpanKind.PRODUCER)).isSameAs(Span.getInvalid());
      RecordHeaders h = new RecordHeaders();
      t.remember("e", Span.getInvalid());
      t.inject(h, "e");
      assertThat(h.toArray()).isEmpty();
      assertThat(t.startFrom("vigil.rollback", h, SpanKind.CONSUMER)).isSameAs(Span.getInvalid());
      assertThat(t.openTelemetry().getTracerProvider()).as("the API's no-op").isSameAs(
          io.opentelemetry.api.OpenTelemetry.noop().getTracerProvider());
    }
  }

  @Nested
  class KafkaHeader {
    @Test
    void theEventCarriesTraceparentAndTheControllersSpanContinuesTheTrace() {
      InMemorySpanExporter spans = InMemorySpanExporter.create();
      try (Tracing t = Tracing.forTesting(spans)) {
        Span breach = t.start("vigil.breach.opened", null, SpanKind.PRODUCER);
        t.remember("event-1", breach);
        breach.end();
        RecordHeaders headers = new RecordHeaders();
        t.inject(headers, "event-1");
        String tp = new String(headers.lastHeader("traceparent").value(), StandardCharsets.UTF_8);
        // W3C trace context: version 00, the trace id, the parent span id, flags with "sampled" set
        assertThat(tp).matches("00-" + breach.getSpanContext().getTraceId() + "-" + breach.getSpanContext().getSpanId()
            + "-0[13]");
        Span rollback = t.startFrom("vigil.rollback", headers, SpanKind.CONSUMER);
        Span actuate = t.start("vigil.actuate", rollback, SpanKind.CLIENT);
        actuate.end();
        rollback.end();
        SpanData r = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("vigil.rollback")).findFirst()
            .orElseThrow();
        assertThat(r.getTraceId()).isEqualTo(breach.getSpanContext().getTraceId());
        assertThat(r.getParentSpanId()).isEqualTo(breach.getSpanContext().getSpanId());
        assertThat(r.getKind()).isEqualTo(SpanKind.CONSUMER);
        SpanData a = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("vigil.actuate")).findFirst()
            .orElseThrow();
        assertThat(a.getParentSpanId()).isEqualTo(r.getSpanId());
      }
    }

    @Test
    void theOutboxPublisherSendsTheRememberedTraceparent() throws Exception {
      InMemorySpanExporter spans = InMemorySpanExporter.create();
      Tracing before = Tracing.install(Tracing.forTesting(spans));
      MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
          new ByteArraySerializer());
      try (Outbox outbox = Outbox.open(dir, 10);
          MonitorMetrics m = new MonitorMetrics()) {
        SignedEvent e = new SignedEvent("event-7", CloudEvent.BREACH_OPENED, "vigil://monitor/m", "integrity-service",
            "{}".getBytes(StandardCharsets.UTF_8));
        Span breach = Tracing.current().start("vigil.breach.opened", null, SpanKind.PRODUCER);
        Tracing.current().remember(e.id(), breach);
        breach.end();
        outbox.append(e);
        try (OutboxPublisher p = new OutboxPublisher(outbox, producer, "t", new EventMetrics(m.registry()),
            Duration.ofMillis(100), Duration.ofSeconds(1)).start()) {
          await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
          assertThat(p).isNotNull();
        }
        var sent = producer.history().get(0);
        assertThat(new String(sent.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
            .contains(breach.getSpanContext().getTraceId());
        assertThat(sent.headers().lastHeader("ce_id")).as("the events-v1 headers stay").isNotNull();
      } finally {
        Tracing.install(before).close();
      }
    }
  }

  /**
   * The real OTLP/HTTP exporter against an in-test receiver that decodes the protobuf with the
   * generated OTLP classes. No OpenTelemetry Collector can run here (no binary in the registries
   * this machine reaches), so this receiver stands in for one.
   */
  @Nested
  class Otlp {
    @Test
    void spansReachAnOtlpHttpEndpointAsProtobuf() throws Exception {
      List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
      List<String> contentTypes = new CopyOnWriteArrayList<>();
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/v1/traces", ex -> {
        contentTypes.add(ex.getRequestHeaders().getFirst("Content-Type"));
        received.add(ExportTraceServiceRequest.parseFrom(ex.getRequestBody().readAllBytes()));
        ex.sendResponseHeaders(200, -1);
        ex.close();
      });
      server.start();
      try {
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        Tracing t = Tracing.start(new TracingConfig(true, endpoint, "vigil-test", 1.0), Map.of(), "vigil-monitor");
        Span poll = t.start("vigil.poll", null, SpanKind.INTERNAL).setAttribute("vigil.verdict", "compliant");
        t.start("vigil.probe", poll, SpanKind.CLIENT).end();
        poll.end();
        t.close(); // flushes the batch
        await().atMost(Duration.ofSeconds(15)).until(() -> !received.isEmpty());
        assertThat(contentTypes).first().isEqualTo("application/x-protobuf");
        var resourceSpans = received.get(0).getResourceSpans(0);
        assertThat(resourceSpans.getResource().getAttributesList())
            .anySatisfy(a -> {
              assertThat(a.getKey()).isEqualTo("service.name");
              assertThat(a.getValue().getStringValue()).isEqualTo("vigil-test");
            });
        var otlpSpans = received.stream().flatMap(r -> r.getResourceSpansList().stream())
            .flatMap(rs -> rs.getScopeSpansList().stream()).flatMap(ss -> ss.getSpansList().stream()).toList();
        assertThat(otlpSpans).extracting(s -> s.getName()).containsExactlyInAnyOrder("vigil.poll", "vigil.probe");
        var p = otlpSpans.stream().filter(s -> s.getName().equals("vigil.poll")).findFirst().orElseThrow();
        var c = otlpSpans.stream().filter(s -> s.getName().equals("vigil.probe")).findFirst().orElseThrow();
        assertThat(HexFormat.of().formatHex(c.getParentSpanId().toByteArray()))
            .isEqualTo(HexFormat.of().formatHex(p.getSpanId().toByteArray()));
        assertThat(HexFormat.of().formatHex(p.getTraceId().toByteArray())).isEqualTo(poll.getSpanContext().getTraceId());
        assertThat(p.getAttributesList()).anySatisfy(a -> assertThat(a.getValue().getStringValue()).isEqualTo("compliant"));
      } finally {
        server.stop(0);
      }
    }
  }
}
