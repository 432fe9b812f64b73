package dev.vigil.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.config.KafkaConfig;
import dev.vigil.events.CloudEvent;
import dev.vigil.events.EventCodec;
import dev.vigil.events.KafkaProducers;
import dev.vigil.events.RollbackFinished;
import dev.vigil.kafka.KafkaBroker;
import dev.vigil.kafka.KafkaBrokerExtension;
import dev.vigil.monitor.FleetHarness;
import dev.vigil.poll.TestVertx;
import dev.vigil.score.TargetId;
import dev.vigil.sim.Fault;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.apache.kafka.clients.producer.Producer;

/**
 * The status page in a real browser: Debian's headless {@code chromium} driven through {@code
 * chromium-driver} (installed by {@code .ci/run}; skipped, saying so, where either is missing), over
 * a real monitor and simulator, with the rollback controller's signed events on a real Kafka broker
 * (published here as the controller publishes them). Tampers a service and checks the rendered
 * DOM: the breach at the top without scrolling on a desktop and a phone, the cell and its history
 * strip, the rollout in progress and the traffic weights changing with a rollback, the page
 * refreshing itself, times as "2026-12-01 02:49:29Z" and "42 s ago", the target page's charts and
 * rollbacks, no console errors. Screenshots go to {@code target/status-page/}; {@code
 * after-tamper.png} is the README's {@code docs/status-page.png}.
 */
@ExtendWith(KafkaBrokerExtension.class)
class StatusPageBrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SHOTS = Path.of("target", "status-page");
  private static final TargetId VICTIM = new TargetId("integrity-service", "green");
  private static final String CELL = "td.cell[data-target='integrity-service/green']";

  @TempDir Path dir;
  private FleetHarness h;
  private ChromeDriver browser;
  private Producer<byte[], byte[]> producer;
  private EventCodec controller;

  @BeforeEach
  void start(KafkaBroker broker) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "skipped: needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER + "); .ci/run installs them");
    ChromeOptions o = new ChromeOptions().setBinary(CHROMIUM.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=1400,1000", "--user-data-dir=" + dir.resolve("chromium"));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    o.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().withLogFile(dir.resolve("chromedriver.log").toFile()).build();
    browser = new ChromeDriver(service, o);
    Files.createDirectories(SHOTS);
    TestVertx.warmUpHttp();
    // the browser starts first: its launch takes both cores of a small machine, which would starve the polling loop
    SigningKey eventKey = Keys.generate(Scheme.ED25519, new SecureRandom());
    Files.writeString(dir.resolve("event.key.pem"), eventKey.privatePem());
    controller = new EventCodec(eventKey);
    producer = KafkaProducers.create(new KafkaConfig(broker.bootstrapServers(), KafkaConfig.DEFAULT_BREACHES_TOPIC,
        KafkaConfig.DEFAULT_ROLLBACKS_TOPIC, "browser-it", Duration.ofSeconds(10), Map.of()));
    // a rollout of auth-service at its second step, and an earlier one of constitutional-ai-service, promoted
    Instant now = Instant.now();
    publish("constitutional.rollouts", TrafficFixtures.finished("constitutional-ai-service", "m-constitutional-ai-service-1",
        "promoted", now.minusSeconds(900), now.minusSeconds(600)));
    publish("constitutional.rollouts", TrafficFixtures.step("auth-service", "m-auth-service-1", 2, "progressing",
        now.minusSeconds(8)));
    h = FleetHarness.start(List.of("auth-service", "constitutional-ai-service", "integrity-service",
        "formal-verification-service", "governance-synthesis-service", "policy-governance-service",
        "executive-council-service"), List.of("blue", "green"), dir,
        "kafka: {bootstrapServers: '" + broker.bootstrapServers() + "', deliveryTimeout: 5s}\n"
            + "events: {outboxDir: outbox, signingKey: event.key.pem}\n");
    await().atMost(FleetHarness.deadline()).until(() -> h.get("/health/ready").statusCode() == 200);
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (browser != null) {
        browser.quit();
      }
      if (producer != null) {
        producer.close(Duration.ofSeconds(5));
      }
    } finally {
      if (h != null) {
        h.close();
      }
    }
  }

  @Test
  void aTamperedServiceShowsAtTheTopOnDesktopAndPhoneWithoutAReload() throws Exception {
    browser.get(h.baseUrl() + "/");
    await().atMost(FleetHarness.deadline()).until(() -> browser.findElement(By.id("attention")).getText()
        .contains("All 14 targets compliant"));
    assertThat(js("return window.innerWidth")).isEqualTo(1400L);
    assertThat(cell().getAttribute("data-family")).isEqualTo("ok");
    await().atMost(FleetHarness.deadline()).untilAsserted(() -> assertThat(browser.findElement(By.id("attention")).getText())
        .contains("1 rollout in progress").contains("2 of 4").contains("blue 50 % · green 50 %"));
    assertThat(weight("auth-service/green")).isEqualTo("50 %");
    assertThat(weight("constitutional-ai-service/green")).isEqualTo("100 %");
    assertThat(weight("integrity-service/green")).isEqualTo("unknown");
    assertThat(text("#attention time")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ");
    assertThat(text("#attention time + small.ago")).matches("\\d+ s ago");
    shot("before-tamper");
    browser.executeScript("window.__samePage = true");
    String firstRefresh = browser.findElement(By.tagName("body")).getAttribute("data-refreshed");

    TestVertx.await(h.sim.setFault(VICTIM, Fault.TAMPERED_HASH));
    await().atMost(FleetHarness.deadline()).untilAsserted(() ->
        assertThat(browser.findElements(By.cssSelector("#attention table.breaches a"))).anySatisfy(a ->
            assertThat(a.getAttribute("href")).endsWith("/targets/integrity-service/green")));
    assertThat(js("return window.__samePage === true")).as("updated in place, not reloaded").isEqualTo(true);
    assertThat(browser.findElement(By.tagName("body")).getAttribute("data-refreshed")).isNotEqualTo(firstRefresh);
    assertBreachVisibleWithoutScrolling();
    WebElement cell = cell();
    assertThat(cell.getAttribute("data-family")).isEqualTo("integrity");
    assertThat(cell.getText()).contains("hash_mismatch").contains("breach open");
    List<WebElement> ticks = cell.findElements(By.cssSelector(".strip i"));
    assertThat(ticks).hasSize(PollHistory.STRIP);
    assertThat(ticks.get(ticks.size() - 1).getAttribute("class")).isEqualTo("f-integrity");
    assertThat(ticks.get(ticks.size() - 1).getAttribute("title")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ hash_mismatch.*");
    assertThat(ticks).anySatisfy(t -> assertThat(t.getAttribute("class")).isEqualTo("f-ok"));
    // the controller moves integrity-service's traffic to blue and says so on the rollbacks topic
    publish("constitutional.rollbacks", TrafficFixtures.rollback("integrity-service", "r-integrity-service-1",
        RollbackFinished.Status.SUCCEEDED, Instant.now()));
    await().atMost(FleetHarness.deadline()).untilAsserted(() -> {
      assertThat(weight("integrity-service/green")).isEqualTo("0 %");
      assertThat(weight("integrity-service/blue")).isEqualTo("100 %");
    });
    assertThat(js("return window.__samePage === true")).as("updated in place, not reloaded").isEqualTo(true);
    assertBreachVisibleWithoutScrolling();
    shot("after-tamper");

    browser.manage().window().setSize(new Dimension(420, 900));
    browser.navigate().refresh();
    await().atMost(FleetHarness.deadline()).until(() -> (Long) js("return window.innerWidth") <= 420L);
    assertBreachVisibleWithoutScrolling();
    assertThat((Long) js("return document.documentElement.scrollWidth")).as("no horizontal scrolling at 420 px")
        .isLessThanOrEqualTo((Long) js("return window.innerWidth"));
    shot("phone-420");

    browser.manage().window().setSize(new Dimension(1400, 1000));
    browser.get(h.baseUrl() + "/targets/integrity-service/green");
    List<WebElement> charts = browser.findElements(By.cssSelector("svg.chart"));
    assertThat(charts).hasSize(3);
    List<WebElement> lines = browser.findElements(By.cssSelector("svg.chart path"));
    assertThat(lines).hasSize(2).allSatisfy(p -> assertThat(p.getAttribute("d")).matches("M[0-9.]+ [0-9.]+(L[0-9.]+ [0-9.]+)+"));
    assertThat(browser.findElements(By.cssSelector("svg.chart rect.f-integrity"))).isNotEmpty();
    assertThat((Long) js("return document.querySelector('svg.chart path').getBBox().width > 0 ? 1 : 0")).isEqualTo(1L);
    assertThat(text("tr[data-rollback-id='r-integrity-service-1']")).contains("succeeded").contains("green → blue");
    assertThat(text(".kv b.weight")).isEqualTo("0 %");
    shot("target-page");

    List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
    assertThat(errors).as("console errors").isEmpty();
  }

  private void assertBreachVisibleWithoutScrolling() {
    assertThat((Long) js("return Math.round(window.scrollY)")).isZero();
    WebElement row = browser.findElement(By.cssSelector("#attention table.breaches tbody tr"));
    Number bottom = (Number) js("var r=arguments[0].getBoundingClientRect();return r.bottom", row);
    Number right = (Number) js("return arguments[0].getBoundingClientRect().right", row);
    assertThat(bottom.doubleValue()).as("breach row bottom within the viewport").isPositive()
        .isLessThanOrEqualTo(((Number) js("return window.innerHeight")).doubleValue());
    assertThat(right.doubleValue()).as("breach row within the viewport's width")
        .isLessThanOrEqualTo(((Number) js("return window.innerWidth")).doubleValue());
  }

  /** The traffic weight a grid cell shows ("100 %", "unknown"). */
  private String weight(String target) {
    return text("td.cell[data-target='" + target + "'] .meta span");
  }

  /** The text of the first element matching {@code css}, in one script call: the page's refresh may swap parts between a lookup and a read. */
  private String text(String css) {
    return (String) js("var e=document.querySelector(arguments[0]);return e?e.textContent:null", css);
  }

  private void publish(String topic, CloudEvent e) throws Exception {
    producer.send(controller.sign(e).toRecord(topic)).get();
  }

  private WebElement cell() {
    return browser.findElement(By.cssSelector(CELL));
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  private void shot(String name) throws Exception {
    File f = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
