package dev.vigil.events;

import dev.vigil.config.KafkaConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The one way Vigil makes a Kafka producer: the delivery settings events-v1 relies on, fixed. */
public final class KafkaProducers {
  private KafkaProducers() {}

  /**
   * The producer settings: acks=all, idempotent, at most 5 requests in flight (order kept), byte[] key
   * and value; the request timeout follows the delivery timeout, linger is 0 unless {@code kafka.properties}
   * sets it.
   */
  public static Map<String, Object> settings(KafkaConfig c) {
    Map<String, Object> p = new HashMap<>(c.properties());
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, c.clientId());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    p.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
    int delivery = (int) Math.min(Integer.MAX_VALUE, c.deliveryTimeout().toMillis());
    int request = Math.max(500, Math.min(30_000, delivery / 2));
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, request);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (long) delivery);
    p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
    p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  public static Producer<byte[], byte[]> create(KafkaConfig c) {
    return new KafkaProducer<>(settings(c));
  }
}
