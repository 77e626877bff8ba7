package dev.rolloutbatch.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromedriver}, driven by
 * Selenium) on two real collected runs: signs in with the token, opens every page, checks the figures shown
 * against the database, follows run → problem → episode, and saves a screenshot of each page under
 * {@code target/screenshots/}.
 */
@SpringBatchTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { DashboardApiIntegrationTests.TOKEN_PROPERTY, "rollout.api.workers=0",
                "spring.datasource.hikari.maximum-pool-size=8" })
@ActiveProfiles({ "pgtest", "serve" })
class DashboardBrowserIntegrationTests {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String PROBLEM = "revoke_auth_mongodb-localization-1";

    private static WebDriver browser;
    private static Path profile;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JobOperatorTestUtils jobs;

    @Autowired
    @Qualifier("collectJob")
    Job collectJob;

    private CollectedRuns runs;

    @BeforeEach
    void collectAndOpenTheBrowser() throws Exception {
        runs = CollectedRuns.ensure(jdbc, jobs, collectJob);
        if (browser == null) {
            browser = startChromium();
        }
    }

    @AfterAll
    static void closeTheBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
        if (profile != null) {
            org.springframework.util.FileSystemUtils.deleteRecursively(profile);
        }
    }

    private static WebDriver startChromium() throws IOException {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium"));
        Path driver = Path.of(System.getenv().getOrDefault("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"));
        if (!Files.isExecutable(chromium) || !Files.isExecutable(driver)) {
            fail("Chromium is missing (" + chromium + ", " + driver + "): the dashboard's browser tests need it;"
                    + " install it with: apt-get install -y chromium chromium-driver");
        }
        profile = Files.createTempDirectory("dashboard-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,2000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
            .usingAnyFreePort()
            .build();
        return new ChromeDriver(service, options);
    }

    @Test
    void signInSeeTheRunsFollowRunProblemEpisodeAndCompare() throws Exception {
        // Runs list: the token is asked for, then the runs appear with the database's figures.
        signIn();
        List<WebElement> rows = waitForAll(By.cssSelector("#runs tbody tr"));
        assertThat(rows).hasSize(2);
        for (WebElement row : rows) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            long id = Long.parseLong(cells.get(0).getText().substring(1));
            Map<String, Object> db = runFigures(id);
            assertThat(cells.get(3).getText()).isEqualTo("completed");
            assertThat(cells.get(5).getText()).isEqualTo(db.get("finished") + " / " + db.get("episodes"));
            assertThat(cells.get(6).getText()).isEqualTo(percent(db, "succeeded"));
            assertThat(cells.get(7).getText()).isEqualTo(percent(db, "aiopslab"));
        }
        screenshot("runs");

        open("/dashboard/index.html?from=2026-11-29");
        assertThat(waitForAll(By.cssSelector("#runs tbody tr"))).hasSize(1);
        open("/dashboard/index.html");
        waitForAll(By.cssSelector("#runs tbody tr"));

        // Run page, reached by its link.
        browser.findElement(By.cssSelector("a.run-link[href='run.html?id=" + runs.older() + "']")).click();
        waitForAll(By.cssSelector("#problems tbody tr"));
        Map<String, Object> db = runFigures(runs.older());
        assertThat(text("fig-episodes")).isEqualTo(db.get("episodes").toString());
        assertThat(text("fig-success")).isEqualTo(percent(db, "succeeded"));
        assertThat(text("fig-aiopslab")).isEqualTo(percent(db, "aiopslab"));
        long histogram = browser.findElements(By.cssSelector("#chart-reward rect.bar")).stream()
            .mapToLong(bar -> Long.parseLong(bar.getAttribute("data-count")))
            .sum();
        assertThat(histogram).isEqualTo(((Number) db.get("finished")).longValue());
        assertThat(browser.findElements(By.cssSelector("#task-types tbody tr"))).hasSize(jdbc.queryForObject(
                "SELECT COUNT(DISTINCT task_type) FROM episode WHERE run_id = ?", Integer.class, runs.older()));
        assertThat(browser.findElements(By.cssSelector("#chart-latency polyline"))).hasSize(3);
        assertThat(browser.findElements(By.cssSelector("#chart-failures rect.bar"))).isNotEmpty();
        screenshot("run");

        // Problem page: its samples.
        browser.findElement(By.xpath("//a[@class='problem-link' and text()='" + PROBLEM + "']")).click();
        List<WebElement> samples = waitForAll(By.cssSelector("#episodes tbody tr"));
        assertThat(samples).hasSize(CollectedRuns.OLDER_SAMPLES);
        long solved = jdbc.queryForObject("SELECT COUNT(*) FROM episode WHERE run_id = ? AND problem_id = ? AND success",
                Long.class, runs.older(), PROBLEM);
        assertThat(samples.stream().filter(r -> r.findElements(By.tagName("td")).get(3).getText().equals("✔")))
            .hasSize((int) solved);
        assertThat(text("problem-figures")).contains("pass@1 " + String.format(Locale.ROOT, "%.1f %%",
                100.0 * solved / CollectedRuns.OLDER_SAMPLES));
        assertThat(browser.findElements(By.cssSelector("#chart-problem-reward rect.bar")).stream()
            .mapToLong(bar -> Long.parseLong(bar.getAttribute("data-count"))).sum())
            .isEqualTo(CollectedRuns.OLDER_SAMPLES);
        screenshot("problem");

        // Episode page: the conversation turn by turn.
        WebElement first = samples.get(0).findElement(By.cssSelector("a.episode-link"));
        long episodeId = Long.parseLong(first.getText().substring(1));
        first.click();
        List<WebElement> turns = waitForAll(By.cssSelector(".turn[data-seq]"));
        assertThat(turns).hasSize(jdbc.queryForObject("""
                SELECT COUNT(*) FROM message m JOIN conversation c ON c.id = m.conversation_id
                WHERE c.episode_id = ?""", Integer.class, episodeId));
        int calls = jdbc.queryForObject("""
                SELECT COUNT(*) FROM llm_call l JOIN conversation c ON c.id = l.conversation_id
                WHERE c.episode_id = ?""", Integer.class, episodeId);
        assertThat(browser.findElements(By.cssSelector(".turn.assistant .usage"))).hasSize(calls);
        assertThat(text("grading")).contains("submission").contains("AIOpsLab");
        screenshot("episode");

        // Signing out forgets the token: the next figures ask for it again.
        browser.findElement(By.id("sign-out")).click();
        waitFor(By.id("login"));
        assertThat(((org.openqa.selenium.JavascriptExecutor) browser)
            .executeScript("return sessionStorage.length")).isEqualTo(0L);
        signIn();

        // Two runs side by side.
        open("/dashboard/compare.html?a=" + runs.older() + "&b=" + runs.newer());
        List<WebElement> problems = waitForAll(By.cssSelector("#compare-problems tbody tr"));
        assertThat(problems).hasSize(jdbc.queryForObject("SELECT COUNT(DISTINCT problem_id) FROM episode",
                Integer.class));
        for (WebElement row : problems) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            String problem = cells.get(0).getText();
            long[] sides = { runs.older(), runs.newer() };
            for (int side = 0; side < 2; side++) {
                Map<String, Object> counts = jdbc.queryForMap("""
                        SELECT COUNT(*) AS finished, SUM(CASE WHEN success THEN 1 ELSE 0 END) AS succeeded
                        FROM episode WHERE run_id = ? AND problem_id = ?""", sides[side], problem);
                assertThat(cells.get(2 + side).getText()).as(problem).isEqualTo(percent(counts, "succeeded") + " ("
                        + counts.get("succeeded") + "/" + counts.get("finished") + ")");
            }
        }
        screenshot("compare");
    }

    @Test
    void theRunsListFollowsARunningRunsProgressByItself() throws Exception {
        // A run in progress as another process would leave it: four episodes planned, none finished yet.
        Long template = jdbc.queryForObject("SELECT MIN(id) FROM episode WHERE run_id = ?", Long.class, runs.newer());
        jdbc.update("""
                INSERT INTO run (job_instance_id, job_execution_id, run_date, problems_source, parameters, policy,
                    environment, model, status, started_at)
                SELECT -1, -1, DATE '2026-11-30', 'live.csv', parameters, policy, environment, 'live-model', 'running',
                    CURRENT_TIMESTAMP FROM run WHERE id = ?""", runs.newer());
        long live = jdbc.queryForObject("SELECT id FROM run WHERE job_instance_id = -1", Long.class);
        try {
            for (int i = 0; i < 4; i++) {
                jdbc.update("""
                        INSERT INTO episode (run_id, source, problem_id, task_type, application, sample_index, group_id,
                            seed, status, policy, environment, model, max_steps, timeout_seconds, parameters, created_at)
                        SELECT ?, source, problem_id, task_type, application, ?, group_id, seed, 'pending', policy,
                            environment, model, max_steps, timeout_seconds, parameters, CURRENT_TIMESTAMP
                        FROM episode WHERE id = ?""", live, i, template);
            }
            signIn();
            open("/dashboard/index.html?status=running");
            WebElement progress = waitForAll(By.cssSelector("#runs tbody tr td:nth-child(6)")).get(0);
            assertThat(progress.getText()).isEqualTo("0 / 4");
            jdbc.update("UPDATE episode SET status = 'completed', success = TRUE, reward = 1,"
                    + " started_at = CURRENT_TIMESTAMP, ended_at = CURRENT_TIMESTAMP WHERE run_id = ? AND sample_index < 3",
                    live);
            new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.textToBePresentInElementLocated(
                    By.cssSelector("#runs tbody tr td:nth-child(6)"), "3 / 4"));
            assertThat(browser.findElement(By.cssSelector("#runs tbody tr td:nth-child(7)")).getText())
                .isEqualTo("100.0 %");
            screenshot("runs-live");
        }
        finally {
            jdbc.update("DELETE FROM episode WHERE run_id = ?", live);
            jdbc.update("DELETE FROM run WHERE id = ?", live);
        }
    }

    /** Opens the runs list without a token, which asks for it, and gives it through the sign-in form. */
    private void signIn() {
        open("/dashboard/index.html");
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        waitFor(By.id("login"));
        browser.findElement(By.id("token")).sendKeys(DashboardApiIntegrationTests.TOKEN);
        browser.findElement(By.cssSelector("#login button")).click();
        waitForAll(By.cssSelector("#runs tbody tr"));
    }

    private Map<String, Object> runFigures(long runId) {
        return jdbc.queryForMap("""
                SELECT COUNT(*) AS episodes,
                    SUM(CASE WHEN status IN ('completed', 'failed', 'timeout', 'cancelled') THEN 1 ELSE 0 END) AS finished,
                    SUM(CASE WHEN success THEN 1 ELSE 0 END) AS succeeded,
                    SUM(CASE WHEN (CAST(evaluation AS jsonb) -> 'aiopslab' ->> 'success') = 'true' THEN 1 ELSE 0 END)
                        AS aiopslab
                FROM episode WHERE run_id = ?""", runId);
    }

    private static String percent(Map<String, Object> figures, String part) {
        return String.format(Locale.ROOT, "%.1f %%", 100.0 * ((Number) figures.get(part)).doubleValue()
                / ((Number) figures.get("finished")).doubleValue());
    }

    private void open(String path) {
        browser.get("http://127.0.0.1:" + port + path);
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private static void waitFor(By by) {
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(by));
    }

    private static List<WebElement> waitForAll(By by) {
        try {
            return new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(ExpectedConditions.presenceOfAllElementsLocatedBy(by));
        }
        catch (org.openqa.selenium.TimeoutException ex) {
            throw new AssertionError("no " + by + " on " + browser.getCurrentUrl() + ", the page shows: "
                    + browser.findElement(By.tagName("main")).getText(), ex);
        }
    }

    private static void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve("dashboard-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
