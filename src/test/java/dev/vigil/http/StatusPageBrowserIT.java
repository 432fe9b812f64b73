package dev.vigil.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.monitor.FleetHarness;
import dev.vigil.poll.TestVertx;
import dev.vigil.score.TargetId;
import dev.vigil.sim.Fault;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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

/**
 * The status page in a real browser: Debian's headless {@code chromium} driven through {@code
 * chromium-driver} (installed by {@code .ci/run}; skipped, saying so, where either is missing), over
 * a real monitor and simulator. Tampers a service and checks the rendered DOM: the breach at the
 * top without scrolling on a desktop and a phone, the cell and its history strip, the page
 * refreshing itself, the target page's charts, no console errors. Screenshots go to {@code
 * target/status-page/}.
 */
class StatusPageBrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SHOTS = Path.of("target", "status-page");
  private static final TargetId VICTIM = new TargetId("integrity-service", "green");
  private static final String CELL = "td.cell[data-target='integrity-service/green']";

  @TempDir Path dir;
  private FleetHarness h;
  private ChromeDriver browser;

  @BeforeEach
  void start() throws Exception {
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
    h = FleetHarness.start(List.of("auth-service", "constitutional-ai-service", "integrity-service",
        "formal-verification-service", "governance-synthesis-service", "policy-governance-service",
        "executive-council-service"), List.of("blue", "green"), dir);
    await().atMost(FleetHarness.deadline()).until(() -> h.get("/health/ready").statusCode() == 200);
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (browser != null) {
        browser.quit();
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
