package dev.vigil.events;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * One event ready for Kafka: the CloudEvent attributes the headers repeat, the key (the service)
 * and the value (the DSSE envelope as JSON). What the outbox stores, and what is sent again,
 * byte for byte, on every retry. Immutable.
 */
public record SignedEvent(String id, String type, String source, String key, byte[] value) {
  /** The Kafka header names of events-v1. */
  public static final String CONTENT_TYPE = "content-type";
  public static final String CE_ID = "ce_id";
  public static final String CE_TYPE = "ce_type";
  public static final String CE_SOURCE = "ce_source";
  public static final String CE_SPECVERSION = "ce_specversion";
  /** The {@code content-type} header value: a DSSE envelope. */
  public static final String ENVELOPE_MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json";
  /** The {@code content-type} of an evidence checkpoint (a C2SP signed note, evidence-v1 section 3). */
  public static final String CHECKPOINT_MEDIA_TYPE = "text/plain; charset=utf-8";

  public SignedEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(key, "key");
    value = value.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** The headers of events-v1, in the spec's order, UTF-8. */
  public List<Header> headers() {
    List<Header> h = new ArrayList<>(5);
    h.add(header(CONTENT_TYPE, CheckpointPublisher.TYPE.equals(type) ? CHECKPOINT_MEDIA_TYPE : ENVELOPE_MEDIA_TYPE));
    h.add(header(CE_ID, id));
    h.add(header(CE_TYPE, type));
    h.add(header(CE_SOURCE, source));
    h.add(header(CE_SPECVERSION, CloudEvent.SPEC_VERSION));
    return h;
  }

  /** The Kafka record for {@code topic}: key = service name (UTF-8), value = envelope, the headers. */
  public ProducerRecord<byte[], byte[]> toRecord(String topic) {
    return new ProducerRecord<>(topic, null, null, key.getBytes(StandardCharsets.UTF_8), value, headers());
  }

  private static Header header(String name, String value) {
    return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedEvent s && id.equals(s.id) && type.equals(s.type) && source.equals(s.source)
        && key.equals(s.key) && java.util.Arrays.equals(value, s.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, type, source, key, java.util.Arrays.hashCode(value));
  }

  @Override
  public String toString() {
    return "SignedEvent[" + type + " " + id + " key=" + key + ", " + value.length + " bytes]";
  }
}
