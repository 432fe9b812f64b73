package dev.vigil.tracing;

import dev.vigil.config.TracingConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's tracer, or nothing. Commands {@link #install} the one built from the configuration
 * and the environment at start; everything else asks {@link #current()}. Thread-safe.
 */
public final class Tracing implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);
  /** The W3C header name (also the Kafka header's). */
  public static final String TRACEPARENT = "traceparent";
  private static final int REMEMBERED_EVENTS = 10_000;
  private static final Tracing OFF = new Tracing(null, null);
  private static volatile Tracing current = OFF;

  private final OpenTelemetrySdk sdk;
  private final Tracer tracer;
  private final Map<String, String> eventParents = new LinkedHashMap<>(16, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > REMEMBERED_EVENTS;
    }
  };

  private Tracing(OpenTelemetrySdk sdk, String scope) {
    this.sdk = sdk;
    this.tracer = sdk == null ? null : sdk.getTracer(scope);
  }

  /** Tracing off: no SDK, every call a no-op. */
  public static Tracing off() {
    return OFF;
  }

  /** What the process uses ({@link #off()} until a command installs another). */
  public static Tracing current() {
    return current;
  }

  /** Makes {@code t} the process's tracing; returns the one it replaces (not closed). */
  public static Tracing install(Tracing t) {
    Tracing before = current;
    current = t == null ? OFF : t;
    return before;
  }

  /** True when {@code config} or the standard environment turns tracing on. */
  public static boolean wanted(TracingConfig config, Map<String, String> env) {
    if ("true".equalsIgnoreCase(env.getOrDefault("OTEL_SDK_DISABLED", "").trim())) {
      return false;
    }
    String exporter = env.getOrDefault("OTEL_TRACES_EXPORTER", "").toLowerCase(Locale.ROOT);
    if (exporter.equals("none")) {
      return false;
    }
    return config.enabled() || exporter.contains("otlp") || env.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT")
        || env.containsKey("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  }

  /**
   * Builds tracing from {@code config} and the standard {@code OTEL_*} environment and system
   * properties (which override the section), or {@link #off()} when neither asks for it.
   *
   * @param defaultService the service.name when neither the section nor OTEL_SERVICE_NAME gives one
   */
  public static Tracing start(TracingConfig config, Map<String, String> env, String defaultService) {
    if (!wanted(config, env)) {
      return OFF;
    }
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.traces.exporter", "otlp");
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    defaults.put("otel.propagators", "tracecontext");
    defaults.put("otel.service.name", config.serviceName() != null ? config.serviceName() : defaultService);
    defaults.put("otel.traces.sampler", "parentbased_traceidratio");
    defaults.put("otel.traces.sampler.arg", Double.toString(config.sampleRatio()));
    if (config.endpoint() != null) {
      defaults.put("otel.exporter.otlp.endpoint", config.endpoint().toString());
    }
    OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> defaults)
        .disableShutdownHook()
        .build()
        .getOpenTelemetrySdk();
    LOG.info("tracing on: spans exported over OTLP ({}) as service {}",
        env.getOrDefault("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", env.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT",
            config.endpoint() != null ? config.endpoint().toString() : "http://localhost:4318")),
        env.getOrDefault("OTEL_SERVICE_NAME", defaults.get("otel.service.name")));
    return new Tracing(sdk, "dev.vigil");
  }

  /** Tracing that hands every ended span to {@code exporter} at once (tests). */
  public static Tracing forTesting(SpanExporter exporter) {
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    return new Tracing(OpenTelemetrySdk.builder().setTracerProvider(provider).build(), "dev.vigil");
  }

  /** True when spans are recorded and exported. */
  public boolean enabled() {
    return sdk != null;
  }

  /** The OpenTelemetry API view (noop when off). */
  public OpenTelemetry openTelemetry() {
    return sdk == null ? OpenTelemetry.noop() : sdk;
  }

  /** Starts a span under {@code parent} (null: a root span); the invalid span when off. */
  public Span start(String name, Span parent, SpanKind kind) {
    if (sdk == null) {
      return Span.getInvalid();
    }
    var b = tracer.spanBuilder(name).setSpanKind(kind);
    if (parent == null || !parent.getSpanContext().isValid()) {
      b.setNoParent();
    } else {
      b.setParent(Context.root().with(parent));
    }
    return b.startSpan();
  }

  /** Starts a root span linked to {@code link} (another trace's span, e.g. the poll of a transition). */
  public Span startLinked(String name, SpanContext link, SpanKind kind) {
    if (sdk == null) {
      return Span.getInvalid();
    }
    var b = tracer.spanBuilder(name).setSpanKind(kind).setNoParent();
    if (link != null && link.isValid()) {
      b.addLink(link);
    }
    return b.startSpan();
  }

  /** Starts a span continuing the trace whose W3C context {@code headers} carry (a root span if none). */
  public Span startFrom(String name, Headers headers, SpanKind kind) {
    if (sdk == null) {
      return Span.getInvalid();
    }
    Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, KafkaGetter.INSTANCE);
    return tracer.spanBuilder(name).setSpanKind(kind).setParent(parent).startSpan();
  }

  /** Remembers that event {@code eventId} was caused by {@code span}, for {@link #inject}. */
  public void remember(String eventId, Span span) {
    if (sdk == null || !span.getSpanContext().isValid()) {
      return;
    }
    Map<String, String> carrier = new HashMap<>();
    W3CTraceContextPropagator.getInstance().inject(Context.root().with(span), carrier, Map::put);
    String tp = carrier.get(TRACEPARENT);
    if (tp != null) {
      synchronized (eventParents) {
        eventParents.put(eventId, tp);
      }
    }
  }

  /** Adds the {@code traceparent} header remembered for {@code eventId}, if any. */
  public void inject(Headers headers, String eventId) {
    if (sdk == null) {
      return;
    }
    String tp;
    synchronized (eventParents) {
      tp = eventParents.get(eventId);
    }
    if (tp != null && headers.lastHeader(TRACEPARENT) == null) {
      headers.add(TRACEPARENT, tp.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The trace id of {@code span}, or null when it is not recorded (for a log field). */
  public static String traceId(Span span) {
    return span.getSpanContext().isValid() ? span.getSpanContext().getTraceId() : null;
  }

  /** Exports what is buffered and stops (up to 10 s). */
  @Override
  public void close() {
    if (sdk != null) {
      sdk.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  @SuppressWarnings("deprecation")
  private enum KafkaGetter implements TextMapGetter<Headers> {
    INSTANCE;

    @Override
    public Iterable<String> keys(Headers carrier) {
      return () -> java.util.Arrays.stream(carrier.toArray()).map(Header::key).iterator();
    }

    @Override
    public String get(Headers carrier, String key) {
      if (carrier == null) {
        return null;
      }
      Header h = carrier.lastHeader(key);
      return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
  }

}
