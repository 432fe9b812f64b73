package dev.vigil.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.attest.TrustStore;
import dev.vigil.config.KafkaConfig;
import dev.vigil.events.BreachData;
import dev.vigil.events.CloudEvent;
import dev.vigil.events.EventCodec;
import dev.vigil.kafka.KafkaBroker;
import dev.vigil.kafka.KafkaBrokerExtension;
import dev.vigil.poll.TestVertx;
import dev.vigil.score.TargetId;
import dev.vigil.sim.Fault;
import dev.vigil.sim.FleetSimulator;
import dev.vigil.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code vigil monitor} processes of the packaged jar with one configuration (a group on the
 * embedded broker; per-instance id and outbox from the environment) sharing 300 targets of the real
 * simulator. Steady state: every target is polled by exactly one instance, once per interval (the
 * simulator's request counters). {@code kill -9} of the instance polling a tampered target: the
 * survivors poll its targets again within the session timeout plus an interval (measured and
 * printed), none is left unpolled, and the breach continues under its id with no second opening. A
 * fourth instance joining takes shards without a second breach and without a long gap (measured).
 *
 * <p>Breach openings are judged from the signed events on {@code constitutional.breaches}, not from
 * {@code constitutional_breaches_opened_total}: that counter has no target label and counts from the
 * start of the process, so it also holds breaches that legitimately opened elsewhere, e.g. the
 * {@code latency_p95} breaches of slow probes while the first instance polls all 300 targets alone
 * on a loaded machine (a probe's duration includes its verification). The contract checked is the
 * handover's: the victim's breach opens once, and no breach open when an instance dies or joins is
 * opened again under a new id; any other opening after it is named and must be of a reachability
 * rule (what load can trip), and each instance's counter must match the openings it published.
 */
@ExtendWith(KafkaBrokerExtension.class)
class MonitorGroupIT {
  static final Path JAR = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
      .resolve("target/vigil.jar");
  static final ObjectMapper JSON = new ObjectMapper();
  static final int TARGETS = 300;
  static final Duration INTERVAL = Duration.ofSeconds(4);
  static final Duration SESSION = Duration.ofSeconds(6);
  @TempDir Path dir;
  SigningKey eventKey;
  Vertx vertx;
  FleetSimulator sim;
  final List<Process> processes = new ArrayList<>();
  /** Each instance's monitorId by its base URL (its stderr is {@code dir/<id>.log}). */
  final Map<String, String> ids = new ConcurrentHashMap<>();
  final HttpClient http = HttpClient.newHttpClient();
  /** Per target: System.nanoTime of each observed rise of the simulator's request counter. */
  final Map<TargetId, List<Long>> seen = new ConcurrentHashMap<>();
  volatile boolean sampling = true;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(Files.isRegularFile(JAR), JAR + " is not built yet (mvn package)");
    vertx = TestVertx.create();
    sim = TestVertx.await(FleetSimulator.start(vertx, SimulatorOptions.defaults().withGenerated(TARGETS, 4)
        .withEnvironments(List.of("green")).withBasePort(0).withAdminPort(0)));
    sim.writePublicKeys(dir);
    eventKey = Keys.generate(Scheme.ED25519, new SecureRandom());
    Files.writeString(dir.resolve("event.key.pem"), eventKey.privatePem());
    Thread t = new Thread(this::sample, "request-sampler");
    t.setDaemon(true);
    t.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    sampling = false;
    for (Process p : processes) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (sim != null) {
      TestVertx.await(sim.stop());
      TestVertx.await(vertx.close());
    }
  }

  /** Reads every target's request counter every 50 ms and notes when it rose. */
  private void sample() {
    Map<TargetId, Long> last = new HashMap<>();
    while (sampling) {
      long now = System.nanoTime();
      for (TargetId id : sim.targets()) {
        long n = sim.requests(id);
        if (n > last.getOrDefault(id, 0L)) {
          seen.computeIfAbsent(id, k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(now);
        }
        last.put(id, n);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  Path config(String bootstrap) throws IOException {
    StringBuilder y = new StringBuilder("monitorId: '${MONITOR_ID}'\nserver: {host: 127.0.0.1, port: 0}\n"
        + "polling: {interval: " + INTERVAL.toSeconds() + "s, timeout: 2s, retries: 0, jitter: 0.1}\n"
        + "state: {dir: 'state-${MONITOR_ID}', flushInterval: 1s}\n"
        + "rules: {compliance_score: {enabled: false}}\n"
        + "kafka: {bootstrapServers: '" + bootstrap + "', deliveryTimeout: 5s}\n"
        + "events: {outboxDir: 'outbox-${MONITOR_ID}', signingKey: event.key.pem}\n"
        + "group: {name: it-group, shards: 16, sessionTimeout: " + SESSION.toSeconds() + "s, heartbeatInterval: 1s}\n"
        + "targets:\n");
    for (TargetId t : sim.targets()) {
      y.append("  - {service: ").append(t.service()).append(", environment: ").append(t.environment())
          .append(", url: '").append(sim.baseUrl(t)).append("', keys: [{file: ").append(t.service()).append('-')
          .append(t.environment()).append(".pub.pem}]}\n");
    }
    return Files.writeString(dir.resolve("vigil.yaml"), y.toString());
  }

  /** Starts an instance of the jar; returns its base URL (printed on its first line). */
  String start(Path config, String id) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-jar", JAR.toString(), "monitor", "--config",
        config.toString()).directory(dir.toFile()).redirectError(dir.resolve(id + ".log").toFile());
    pb.environment().put("MONITOR_ID", id);
    Process p = pb.start();
    processes.add(p);
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String first = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        return null;
      }
    }).exceptionally(e -> null).completeOnTimeout(null, 120, TimeUnit.SECONDS).get();
    Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/").matcher(String.valueOf(first));
    assertThat(m.find()).as("first line: %s; stderr: %s", first, Files.readString(dir.resolve(id + ".log"))).isTrue();
    String base = "http://127.0.0.1:" + m.group(1);
    ids.put(base, id);
    return base;
  }

  String get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The targets an instance polls, by its API. */
  Set<TargetId> owned(String base) throws Exception {
    Set<TargetId> out = new HashSet<>();
    for (JsonNode t : JSON.readTree(get(base + "/api/v1/targets")).get("targets")) {
      out.add(new TargetId(t.get("service").asText(), t.get("environment").asText()));
    }
    return out;
  }

  /** True when the instances' targets are disjoint and cover every target. */
  boolean partitionedExactly(List<String> bases) throws Exception {
    Set<TargetId> union = new HashSet<>();
    int total = 0;
    for (String b : bases) {
      Set<TargetId> o = owned(b);
      total += o.size();
      union.addAll(o);
    }
    return total == TARGETS && union.size() == TARGETS;
  }

  long polledSince(TargetId id, long since) {
    List<Long> l = seen.getOrDefault(id, List.of());
    synchronized (l) {
      return l.stream().filter(t -> t > since).count();
    }
  }

  /** The longest time between consecutive polls of any target within [from, to], in ms. */
  long maxGapMs(Set<TargetId> ids, long from, long to) {
    long worst = 0;
    for (TargetId id : ids) {
      List<Long> l = seen.getOrDefault(id, List.of());
      long prev = -1;
      synchronized (l) {
        for (long t : l) {
          if (t >= from - INTERVAL.toNanos() * 2 && t <= to) {
            if (prev >= 0 && t >= from) {
              worst = Math.max(worst, (t - prev) / 1_000_000);
            }
            prev = t;
          }
        }
      }
    }
    return worst;
  }

  /** Who polls each target, by the instances' own APIs, by monitorId. */
  Map<TargetId, String> pollers(List<String> bases) throws Exception {
    Map<TargetId, String> out = new HashMap<>();
    for (String b : bases) {
      String id = JSON.readTree(get(b + "/api/v1/targets")).get("monitor").asText();
      owned(b).forEach(t -> out.put(t, id));
    }
    return out;
  }

  /** True when {@code base}'s fleet view lists every target with the instance that polls it. */
  boolean fleetViewAgrees(String base, Map<TargetId, String> pollers) throws Exception {
    JsonNode fleet = JSON.readTree(get(base + "/api/v1/fleet"));
    if (!fleet.get("caughtUp").asBoolean() || fleet.get("targets").size() != TARGETS) {
      return false;
    }
    for (JsonNode t : fleet.get("targets")) {
      TargetId id = new TargetId(t.get("service").asText(), t.get("environment").asText());
      if (!t.get("owner").asText().equals(pollers.get(id))) {
        return false;
      }
    }
    return true;
  }

  /** Each instance's API names its shards; together they are every shard once; its pages show the group. */
  void shardsListed(List<String> bases) throws Exception {
    List<Integer> all = new ArrayList<>();
    for (String b : bases) {
      JsonNode group = JSON.readTree(get(b + "/api/v1/targets")).get("group");
      assertThat(group.get("name").asText()).isEqualTo("it-group");
      group.get("owned").forEach(n -> all.add(n.asInt()));
      assertThat(get(b + "/metrics")).contains("constitutional_monitor_shards_owned{group=\"it-group\"} "
          + group.get("owned").size() + ".0");
      assertThat(get(b + "/")).contains("Group <code>it-group</code>").contains("owns " + group.get("owned").size()
          + " of 16 shards");
      assertThat(get(b + "/fleet")).contains("data-owner=");
    }
    assertThat(all).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 16).boxed().toList());
  }

  JsonNode breach(String base, TargetId id) throws Exception {
    for (JsonNode b : JSON.readTree(get(base + "/api/v1/breaches")).get("open")) {
      if (b.get("service").asText().equals(id.service())) {
        return b;
      }
    }
    return null;
  }

  static double opened(String metrics) {
    double sum = 0;
    for (String l : metrics.split("\n")) {
      if (l.startsWith("constitutional_breaches_opened_total{")) {
        sum += Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** A breach event read back from {@code constitutional.breaches}. */
  record Event(String type, BreachData data) {
    boolean opened() {
      return type.equals(CloudEvent.BREACH_OPENED);
    }

    TargetId target() {
      return new TargetId(data.service(), data.environment());
    }

    @Override
    public String toString() {
      return (opened() ? "opened " : "resolved ") + data.breachId() + " by " + data.monitor() + " (" + data.rule()
          + ", observed " + data.observed() + ", opened at " + data.openedAt() + ")";
    }
  }

  /** Every breach event on {@code constitutional.breaches} so far, verified with the instances' event key. */
  List<Event> breachEvents(KafkaBroker broker) {
    TrustStore trusted = TrustStore.of(eventKey.trusted());
    List<Event> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        broker.bootstrapServers(), ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))) {
      List<TopicPartition> parts = c.partitionsFor(KafkaConfig.DEFAULT_BREACHES_TOPIC, Duration.ofSeconds(10)).stream()
          .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(10));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        assertThat(System.nanoTime()).as("reading %s to its end", KafkaConfig.DEFAULT_BREACHES_TOPIC).isLessThan(deadline);
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          EventCodec.Decoded d = EventCodec.verify(r.value(), trusted, Instant.now());
          assertThat(d).as("a breach event at offset %d", r.offset()).isInstanceOf(EventCodec.Accepted.class);
          CloudEvent e = ((EventCodec.Accepted) d).event();
          if (e.data() instanceof BreachData b) {
            out.add(new Event(e.type(), b));
          }
        }
      }
    }
    return out;
  }

  /** The distinct breaches {@code monitorId} published as opened. */
  static Set<String> openedBy(List<Event> events, String monitorId) {
    return events.stream().filter(e -> e.opened() && e.data().monitor().equals(monitorId))
        .map(e -> e.data().breachId()).collect(Collectors.toSet());
  }

  /** The open breaches of every instance in {@code bases}: breachId to "service/environment rule". */
  Map<String, String> openBreaches(List<String> bases) throws Exception {
    Map<String, String> out = new HashMap<>();
    for (String b : bases) {
      for (JsonNode n : JSON.readTree(get(b + "/api/v1/breaches")).get("open")) {
        out.put(n.get("breachId").asText(), n.get("service").asText() + "/" + n.get("environment").asText() + " "
            + n.get("rule").asText());
      }
    }
    return out;
  }

  /**
   * The handover contract after an instance died or joined at {@code since} (with {@code openBefore}
   * open then): every instance's openings are on the topic; the victim's hash_mismatch breach
   * opened once and nothing opened for the victim since; no breach open at {@code since} was opened
   * again under a new id; any other opening since then is printed and of a reachability rule.
   */
  void noSecondOpening(String when, KafkaBroker broker, List<String> bases, TargetId victim, String breachId,
      Map<String, String> openBefore, Instant since) throws Exception {
    List<Event> events = new ArrayList<>();
    await("every breach " + when + " opened is published").atMost(Duration.ofSeconds(30)).until(() -> {
      events.clear();
      events.addAll(breachEvents(broker));
      for (String b : bases) {
        if (openedBy(events, ids.get(b)).size() != (long) opened(get(b + "/metrics"))) {
          return false;
        }
      }
      return true;
    });
    StringBuilder report = new StringBuilder();
    for (String b : bases) {
      report.append(openedReport(b));
    }
    assertThat(events.stream().filter(e -> e.opened() && e.target().equals(victim)
        && e.data().rule().equals("hash_mismatch")).map(e -> e.data().breachId()).collect(Collectors.toSet()))
        .as("%s: the hash_mismatch breaches opened for %s:%s", when, victim, report).containsExactly(breachId);
    assertThat(events.stream().filter(e -> e.opened() && e.target().equals(victim)
        && !e.data().openedAt().isBefore(since)).toList())
        .as("%s: breaches opened for %s since:%s", when, victim, report).isEmpty();
    Set<String> resolved = events.stream().filter(e -> !e.opened()).map(e -> e.data().breachId())
        .collect(Collectors.toSet());
    List<Event> after = events.stream().filter(e -> e.opened() && !e.data().openedAt().isBefore(since)).toList();
    Map<String, Integer> counters = new java.util.TreeMap<>();
    for (String b : bases) {
      counters.put(ids.get(b), (int) opened(get(b + "/metrics")));
    }
    System.out.printf("%s: constitutional_breaches_opened_total since each instance started %s; %d breach(es) opened"
        + " since: %s%n", when, counters, after.size(), after);
    for (Event e : after) {
      String key = e.data().service() + "/" + e.data().environment() + " " + e.data().rule();
      assertThat(openBefore.entrySet().stream().filter(o -> o.getValue().equals(key)
          && !o.getKey().equals(e.data().breachId()) && !resolved.contains(o.getKey())).map(Map.Entry::getKey).toList())
          .as("%s: %s opened again while %s was open and not resolved:%s", when, e, key, report).isEmpty();
      assertThat(e.data().rule()).as("%s: %s is not explained by load (only reachability rules are):%s", when, e,
          report).isIn("latency_p95", "availability");
    }
  }

  /**
   * What {@code base} opened, for an assertion message: its opened counters, its open and recently
   * resolved breaches ({@code /api/v1/breaches}) and the breach and group lines of its log.
   */
  String openedReport(String base) {
    StringBuilder out = new StringBuilder("\n--- ").append(ids.get(base)).append(" (").append(base).append(")\n");
    try {
      for (String l : get(base + "/metrics").split("\n")) {
        if (l.startsWith("constitutional_breaches_opened_total{")) {
          out.append(l).append('\n');
        }
      }
      out.append("/api/v1/breaches: ").append(get(base + "/api/v1/breaches")).append('\n');
    } catch (Exception e) {
      out.append("API unreadable: ").append(e).append('\n');
    }
    try {
      for (String l : Files.readAllLines(dir.resolve(ids.get(base) + ".log"))) {
        if (l.contains("breach OPENED") || l.contains("breach RESOLVED") || l.contains("group ")
            || l.contains("partition") || l.contains("overload") || l.contains("restore")) {
          out.append(l).append('\n');
        }
      }
    } catch (IOException e) {
      out.append("log unreadable: ").append(e).append('\n');
    }
    return out.toString();
  }

  @Test
  void threeInstancesShareTheFleetAndHandItOverOnKillAndJoin(KafkaBroker broker) throws Exception {
    Path config = config(broker.bootstrapServers());
    List<String> bases = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      bases.add(start(config, "m" + i));
    }
    await("the three instances split the 300 targets").atMost(Duration.ofSeconds(120))
        .until(() -> partitionedExactly(bases));
    for (String b : bases) {
      assertThat(get(b + "/metrics")).contains("constitutional_monitor_shards_owned{group=\"it-group\"}");
    }

    // steady state: each target polled once per interval, by one instance
    long from = System.nanoTime();
    int intervals = 5;
    await().pollDelay(INTERVAL.multipliedBy(intervals)).atMost(INTERVAL.multipliedBy(intervals + 2)).until(() -> true);
    List<Long> counts = new ArrayList<>();
    for (TargetId id : sim.targets()) {
      counts.add(polledSince(id, from));
    }
    System.out.printf("steady state: polls per target over %d intervals: min %d, max %d%n", intervals,
        counts.stream().mapToLong(Long::longValue).min().orElse(0), counts.stream().mapToLong(Long::longValue).max()
            .orElse(0));
    assertThat(counts).as("polls per target in %d intervals (two owners would double it)", intervals)
        .allMatch(n -> n >= intervals - 2 && n <= intervals + 1);

    // the fleet-wide view: every instance shows every target with the instance that polls it, and its shards
    Map<TargetId, String> pollers = pollers(bases);
    for (String b : bases) {
      await("the fleet view of " + b + " names every target's poller").atMost(Duration.ofSeconds(30))
          .until(() -> fleetViewAgrees(b, pollers));
    }
    shardsListed(bases);

    // a breach on a target, then kill -9 of the instance polling it
    TargetId victim = sim.targets().get(7);
    TestVertx.await(sim.setFault(victim, Fault.TAMPERED_HASH));
    int ownerIndex = -1;
    for (int i = 0; i < 3; i++) {
      if (owned(bases.get(i)).contains(victim)) {
        ownerIndex = i;
      }
    }
    String ownerBase = bases.get(ownerIndex);
    await().atMost(Duration.ofSeconds(60)).until(() -> breach(ownerBase, victim) != null);
    String breachId = breach(ownerBase, victim).get("breachId").asText();
    Set<TargetId> moved = owned(ownerBase);
    await("the breach is in the state topic (flushed on its transition)").pollDelay(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10)).until(() -> true);
    await("the breach.opened is on the topic").atMost(Duration.ofSeconds(30)).until(() -> breachEvents(broker).stream()
        .anyMatch(e -> e.opened() && e.data().breachId().equals(breachId)));
    Map<String, String> openAtKill = openBreaches(bases);
    Process victimOwner = processes.get(ownerIndex);
    Instant killedAt = Instant.now();
    long killed = System.nanoTime();
    victimOwner.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    List<String> survivors = new ArrayList<>(bases);
    survivors.remove(ownerBase);
    await("the survivors take every target").atMost(SESSION.plus(INTERVAL).multipliedBy(4))
        .until(() -> partitionedExactly(survivors));
    await("every moved target polled again").atMost(Duration.ofSeconds(60))
        .until(() -> moved.stream().allMatch(id -> polledSince(id, killed) > 0));
    long handover = 0;
    for (TargetId id : moved) {
      long first = seen.get(id).stream().filter(t -> t > killed).min(Long::compare).orElseThrow();
      handover = Math.max(handover, (first - killed) / 1_000_000);
    }
    System.out.printf("kill -9: %d targets moved; the last polled again %d ms after the kill (session timeout %d ms"
        + " + interval %d ms = %d ms)%n", moved.size(), handover, SESSION.toMillis(), INTERVAL.toMillis(),
        SESSION.plus(INTERVAL).toMillis());
    assertThat(handover).isLessThanOrEqualTo(SESSION.plus(INTERVAL).toMillis() + 3_000);
    String newOwner = null;
    for (String b : survivors) {
      if (owned(b).contains(victim)) {
        newOwner = b;
      }
    }
    String taker = newOwner;
    await().atMost(Duration.ofSeconds(30)).until(() -> breach(taker, victim) != null);
    assertThat(breach(taker, victim).get("breachId").asText()).as("the breach continues on its new owner")
        .isEqualTo(breachId);
    noSecondOpening("kill -9", broker, survivors, victim, breachId, openAtKill, killedAt);
    Map<TargetId, String> after = pollers(survivors);
    for (String b : survivors) {
      await("the fleet view of " + b + " names the new owners").atMost(Duration.ofSeconds(30))
          .until(() -> fleetViewAgrees(b, after));
    }
    shardsListed(survivors);

    // a fourth instance joins: shards move without a second breach or a long gap
    Map<String, String> openAtJoin = openBreaches(survivors);
    Instant joinedAt = Instant.now();
    long joined = System.nanoTime();
    String fourth = start(config, "m3");
    List<String> four = new ArrayList<>(survivors);
    four.add(fourth);
    await("the fourth instance takes shards").atMost(Duration.ofSeconds(90))
        .until(() -> !owned(fourth).isEmpty() && partitionedExactly(four));
    long settled = System.nanoTime();
    await().pollDelay(INTERVAL.multipliedBy(2)).atMost(INTERVAL.multipliedBy(3)).until(() -> true);
    long gap = maxGapMs(new HashSet<>(sim.targets()), joined, System.nanoTime());
    System.out.printf("join: the fourth instance owns %d targets after %d ms; the longest gap between two polls of a"
        + " target meanwhile: %d ms (interval %d ms)%n", owned(fourth).size(), (settled - joined) / 1_000_000, gap,
        INTERVAL.toMillis());
    assertThat(gap).isLessThanOrEqualTo(INTERVAL.multipliedBy(2).toMillis());
    noSecondOpening("join", broker, four, victim, breachId, openAtJoin, joinedAt);
    for (String b : four) {
      JsonNode open = breach(b, victim);
      if (open != null) {
        assertThat(open.get("breachId").asText()).isEqualTo(breachId);
      }
    }
  }
}
