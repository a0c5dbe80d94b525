//! The practice page in a real Chromium, driven through chromedriver (WebDriver): it picks
//! question 2, types an answer and grades it; every point's status on the page must equal
//! the API's report for the same answer; retry puts the answer back in the box.
//! Screenshots at 1280 px and 360 px wide are kept in target/tmp/serve/ for a person.

mod common;
mod serve_support;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Sandbox;
use fantoccini::{ClientBuilder, Locator};
use serve_support::{post, quoted, Server};

const ANSWER: &str = "I would monitor the input and prediction distributions for drift and alert when \
    a drift score crosses its threshold. Then I would retrain the model regularly on fresh labelled data \
    and roll the new version out behind a canary, ready to roll back.";

/// chromedriver on a free loopback port; killed when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start() -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(option_env!("MOCKGRADE_CHROMEDRIVER").unwrap_or("chromedriver"))
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver runs");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn screenshots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/tmp/serve");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A headless Chromium session through the driver.
/// Clicks the element `locator` finds.
async fn click(client: &fantoccini::Client, locator: Locator<'_>) {
    client.find(locator).await.unwrap().click().await.unwrap();
}

async fn session(driver: &Driver) -> fantoccini::Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": option_env!("MOCKGRADE_CHROMIUM").unwrap_or("chromium"),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--hide-scrollbars", "--window-size=1280,1700"],
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a WebDriver session")
}

#[cfg_attr(
    not(all(chromium, chromedriver)),
    ignore = "no Chromium or chromedriver on PATH when this was built: apt-get install chromium chromium-driver, then rebuild"
)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_grades_question_2_as_the_api_does_and_retry_keeps_the_answer() {
    let sandbox = Sandbox::new();
    let history = sandbox.path().join("history.jsonl");
    let server = Server::start(&sandbox, &["--history", history.to_str().unwrap()]);
    let base = format!("http://{}", server.addr);
    let driver = Driver::start();
    let client = session(&driver).await;

    client.goto(&format!("{base}/")).await.unwrap();
    client
        .find(Locator::Id("question-key"))
        .await
        .unwrap()
        .send_keys("2")
        .await
        .unwrap();
    click(&client, Locator::Id("next")).await;
    let meta = client
        .wait()
        .for_element(Locator::Css("#question:not([hidden]) #question-meta"))
        .await
        .unwrap();
    assert!(meta.text().await.unwrap().starts_with("Question 2 · "));

    let answer_box = client.find(Locator::Id("answer")).await.unwrap();
    answer_box.send_keys(ANSWER).await.unwrap();
    let words = client
        .find(Locator::Id("word-count"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        words,
        format!("{} words", ANSWER.split_whitespace().count())
    );
    click(&client, Locator::Id("grade")).await;
    client
        .wait()
        .at_most(Duration::from_secs(120))
        .for_element(Locator::Css("#result:not([hidden]) #points li"))
        .await
        .unwrap();

    // The page's statuses, point by point, against the API's report for the same answer.
    let api = post(
        server.addr,
        "/api/v1/grade",
        &format!(r#"{{"question": 2, "answer": {}}}"#, quoted(ANSWER)),
    );
    assert_eq!(api.status, 200, "{}", api.body);
    let expected: Vec<(String, String)> = api.json()["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|point| {
            (
                point["id"].as_str().unwrap().to_string(),
                point["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut shown = Vec::new();
    for item in client.find_all(Locator::Css("#points li")).await.unwrap() {
        let id = item.attr("data-point").await.unwrap().unwrap();
        let status = item.attr("data-status").await.unwrap().unwrap();
        let badge = item
            .find(Locator::Css(".status"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(badge, status, "the badge of {id} reads as its status");
        shown.push((id, status));
    }
    assert_eq!(shown, expected);
    assert!(
        expected.iter().any(|(_, status)| status == "covered"),
        "the answer covers something: {expected:?}"
    );
    // Covered points' spans are marked in the answer.
    assert!(!client
        .find_all(Locator::Css("#highlighted mark"))
        .await
        .unwrap()
        .is_empty());
    let coverage = client
        .find(Locator::Id("coverage-bar"))
        .await
        .unwrap()
        .attr("aria-valuenow")
        .await
        .unwrap()
        .unwrap();
    let api_coverage = (api.json()["coverage"].as_f64().unwrap() * 100.0).round() as i64;
    assert_eq!(coverage, api_coverage.to_string());

    // The attempt went to the history the terminal's practice and `stats` read.
    let recorded = std::fs::read_to_string(&history).unwrap();
    assert_eq!(recorded.lines().count(), 1, "{recorded}");
    assert!(recorded.contains("\"number\":2"));

    // The progress view draws the topic's sparkline from the same history.
    client
        .wait()
        .for_element(Locator::Css("#progress-list li svg polyline"))
        .await
        .unwrap();

    let shots = screenshots();
    std::fs::write(
        shots.join("page-1280.png"),
        client.screenshot().await.unwrap(),
    )
    .unwrap();
    client.set_window_size(360, 2600).await.unwrap();
    std::fs::write(
        shots.join("page-360.png"),
        client.screenshot().await.unwrap(),
    )
    .unwrap();
    // Readable at 360 px: nothing wider than the window.
    let overflow = client
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        overflow,
        serde_json::Value::Bool(false),
        "the page scrolls sideways at 360 px"
    );

    click(&client, Locator::Id("retry")).await;
    let refilled = client
        .find(Locator::Id("answer"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(refilled.as_deref(), Some(ANSWER));
    client.close().await.unwrap();
}

#[cfg_attr(
    not(all(chromium, chromedriver)),
    ignore = "no Chromium or chromedriver on PATH when this was built: apt-get install chromium chromium-driver, then rebuild"
)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_served_with_a_token_asks_for_it_once() {
    let sandbox = Sandbox::new();
    let token = "page-token-for-the-browser";
    let server = Server::spawn(&sandbox, &["--no-history", "--token", token]);
    let base = format!("http://{}", server.addr);
    let driver = Driver::start();
    let client = session(&driver).await;
    // The page asks as soon as its first call is refused.
    client.goto(&format!("{base}/?question=2")).await.unwrap();
    let field = client
        .wait()
        .for_element(Locator::Css("#token-dialog[open] #token"))
        .await
        .unwrap();
    field.send_keys(token).await.unwrap();
    click(&client, Locator::Css("#token-form button")).await;
    click(&client, Locator::Id("next")).await;
    let meta = client
        .wait()
        .for_element(Locator::Css("#question:not([hidden]) #question-meta"))
        .await
        .unwrap();
    assert!(meta.text().await.unwrap().starts_with("Question 2 · "));

    // A new visit uses the kept token without asking again.
    client.goto(&format!("{base}/?question=3")).await.unwrap();
    click(&client, Locator::Id("next")).await;
    let meta = client
        .wait()
        .for_element(Locator::Css("#question:not([hidden]) #question-meta"))
        .await
        .unwrap();
    assert!(meta.text().await.unwrap().starts_with("Question 3 · "));
    let open = client
        .find(Locator::Id("token-dialog"))
        .await
        .unwrap()
        .attr("open")
        .await
        .unwrap();
    assert_eq!(open, None, "the token was asked for again");
    client.close().await.unwrap();
}
