package dev.vigil.rollback;

import dev.vigil.events.VertxKafkaProducer;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * {@link DeadLetters} on a Kafka topic ({@code kafka.deadLetterTopic}, default
 * {@code constitutional.breaches.dlq}): the original key, value and headers, plus headers naming
 * why and where from ({@code vigil.dlq.reason}, {@code vigil.dlq.detail}, {@code vigil.dlq.topic},
 * {@code vigil.dlq.partition}, {@code vigil.dlq.offset}, {@code vigil.dlq.attempts}). A record too
 * large to send again with those headers goes without its value ({@code vigil.dlq.value} then says
 * how long it was and its SHA-256), so that dead-lettering itself cannot fail for its size.
 *
 * <p>Thread-safe like the producer. Call from a Vert.x context (the future completes on it).
 */
public final class KafkaDeadLetters implements DeadLetters {
  public static final String REASON = "vigil.dlq.reason";
  public static final String DETAIL = "vigil.dlq.detail";
  public static final String TOPIC = "vigil.dlq.topic";
  public static final String PARTITION = "vigil.dlq.partition";
  public static final String OFFSET = "vigil.dlq.offset";
  public static final String ATTEMPTS = "vigil.dlq.attempts";
  public static final String VALUE = "vigil.dlq.value";

  private final VertxKafkaProducer producer;
  private final String topic;

  public KafkaDeadLetters(VertxKafkaProducer producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  @Override
  public Future<Void> send(ConsumerRecord<byte[], byte[]> r, String reason, String detail, int attempts) {
    return producer.send(record(r, reason, detail, attempts, true)).<Void>mapEmpty().recover(e ->
        e instanceof RecordTooLargeException ? producer.send(record(r, reason, detail, attempts, false)).mapEmpty()
            : Future.failedFuture(e));
  }

  private ProducerRecord<byte[], byte[]> record(ConsumerRecord<byte[], byte[]> r, String reason, String detail,
      int attempts, boolean withValue) {
    RecordHeaders h = new RecordHeaders();
    for (Header header : r.headers()) {
      h.add(header);
    }
    h.add(REASON, utf8(reason));
    h.add(DETAIL, utf8(BreachRecords.printable(detail, 500)));
    h.add(TOPIC, utf8(r.topic()));
    h.add(PARTITION, utf8(Integer.toString(r.partition())));
    h.add(OFFSET, utf8(Long.toString(r.offset())));
    h.add(ATTEMPTS, utf8(Integer.toString(attempts)));
    byte[] value = r.value();
    if (!withValue && value != null) {
      h.add(VALUE, utf8("dropped: " + value.length + " bytes, sha256 " + sha256(value)));
      value = null;
    }
    return new ProducerRecord<>(topic, null, r.key(), value, h);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
