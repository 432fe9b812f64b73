package dev.vigil.monitor;

import dev.vigil.poll.PollResult;
import dev.vigil.score.BreachTransition;
import dev.vigil.score.TargetId;
import dev.vigil.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

/**
 * The monitor's spans: {@code vigil.poll} per poll (its verdict, attempts and duration as
 * attributes), and {@code vigil.breach.opened|resolved} per breach transition, linked to the poll
 * that caused it and current while the event sink takes the event (which so remembers its
 * traceparent). No-ops when tracing is off. Event-loop confined, like the monitor.
 */
final class PollSpans {
  private PollSpans() {}

  static Span start(TargetId id) {
    Tracing t = Tracing.current();
    if (!t.enabled()) {
      return Span.getInvalid();
    }
    return t.start("vigil.poll", null, SpanKind.INTERNAL)
        .setAttribute("vigil.service", id.service())
        .setAttribute("vigil.environment", id.environment());
  }

  static void result(Span span, PollResult r) {
    if (!span.getSpanContext().isValid()) {
      return;
    }
    span.setAttribute("vigil.verdict", r.verification().verdict().label());
    span.setAttribute("vigil.attempts", r.attempts());
    if (r.verification().verdict() != dev.vigil.attest.Verdict.COMPLIANT) {
      span.setStatus(StatusCode.ERROR, r.verification().verdict().label());
    }
  }

  /** The transition's span, current until closed. */
  static Transition transition(BreachTransition t, Span poll) {
    Tracing tracing = Tracing.current();
    if (!tracing.enabled()) {
      return Transition.NONE;
    }
    String name = t.kind() == BreachTransition.Kind.OPENED ? "vigil.breach.opened" : "vigil.breach.resolved";
    Span span = tracing.startLinked(name, poll == null ? null : poll.getSpanContext(), SpanKind.PRODUCER)
        .setAttribute("vigil.breach_id", t.breach().breachId())
        .setAttribute("vigil.service", t.breach().target().service())
        .setAttribute("vigil.environment", t.breach().target().environment())
        .setAttribute("vigil.rule", t.breach().rule())
        .setAttribute("vigil.verdict", t.breach().verdict().label());
    return new Transition(span, span.makeCurrent());
  }

  /** A transition span and its scope. */
  record Transition(Span span, Scope scope) implements AutoCloseable {
    static final Transition NONE = new Transition(null, null);

    @Override
    public void close() {
      if (scope != null) {
        scope.close();
        span.end();
      }
    }
  }
}
