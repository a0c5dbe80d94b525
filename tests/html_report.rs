//! `report.html` rendered in a real headless Chromium: the page loads from the results
//! folder with nothing from elsewhere, its charts hold the numbers in results.jsonl, and a
//! screenshot is kept in target/tmp/report-html/ for a person to look at.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{stderr, Sandbox};

/// The Chromium build.rs found; without one the test is ignored and this is never called.
fn chromium() -> PathBuf {
    PathBuf::from(option_env!("MOCKGRADE_CHROMIUM").unwrap_or("chromium"))
}

fn headless(page: &Path, extra: &[&str]) -> std::process::Output {
    let url = format!("file://{}", page.display());
    Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--window-size=1100,1800",
        ])
        .args(extra)
        .arg(url)
        .output()
        .expect("Chromium runs")
}

/// The value of `name="…"` in an HTML tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[start..].find('"')? + start;
    Some(&tag[start..end])
}

/// Band counts per question, from `results.jsonl` the way a reader would compute them.
fn bands_from_results(results: &str) -> BTreeMap<String, [usize; 5]> {
    let mut bands: BTreeMap<String, [usize; 5]> = BTreeMap::new();
    for line in results.lines() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let Some(coverage) = row["coverage"].as_f64() else {
            continue;
        };
        let question = row["question_id"].as_str().unwrap().to_string();
        bands.entry(question).or_default()[((coverage * 5.0).floor() as usize).min(4)] += 1;
    }
    bands
}

/// Band counts per question as the rendered page's chart holds them.
fn bands_from_page(dom: &str) -> BTreeMap<String, [usize; 5]> {
    let chart_start = dom.find("id=\"by-question\"").expect("the question chart");
    let chart = &dom[chart_start..dom[chart_start..].find("</svg>").unwrap() + chart_start];
    let mut bands: BTreeMap<String, [usize; 5]> = BTreeMap::new();
    let mut group = String::new();
    for tag in chart.split('<') {
        if tag.starts_with("g ") {
            group = attribute(tag, "data-group").unwrap().to_string();
        } else if tag.starts_with("rect ") {
            let band: usize = attribute(tag, "data-band").unwrap().parse().unwrap();
            let count: usize = attribute(tag, "data-count").unwrap().parse().unwrap();
            bands.entry(group.clone()).or_default()[band] = count;
        }
    }
    bands
}

#[cfg_attr(
    not(chromium),
    ignore = "no Chromium on PATH when this was built: apt-get install chromium (or set CHROMIUM); the next build finds it"
)]
#[test]
fn the_html_report_renders_in_chromium_with_the_numbers_of_the_results() {
    let sandbox = Sandbox::new();
    let dev = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/dev/answers.jsonl"),
    )
    .unwrap();
    let mut input: String = dev
        .lines()
        .take(40)
        .map(|line| format!("{line}\n"))
        .collect();
    input.push_str("{\"id\": \"broken\", \"answer\": \n");
    sandbox.file("answers.jsonl", input);
    let output = sandbox.run(&["batch", "answers.jsonl", "--out", "out", "--quiet"]);
    assert_eq!(output.status.code(), Some(10), "{}", stderr(&output));
    let page = sandbox.path().join("out/report.html");

    let rendered = headless(&page, &["--dump-dom"]);
    assert!(rendered.status.success(), "{}", stderr(&rendered));
    let dom = String::from_utf8(rendered.stdout).unwrap();
    assert!(dom.contains("<h1>mockgrade batch report</h1>"), "{dom}");
    let results = std::fs::read_to_string(sandbox.path().join("out/results.jsonl")).unwrap();
    let expected = bands_from_results(&results);
    assert!(!expected.is_empty());
    assert_eq!(bands_from_page(&dom), expected);
    assert!(dom.contains("data-records=\"41\" data-graded=\"40\" data-errors=\"1\""));
    assert!(dom.contains("<td>#41</td>"), "the error is listed");

    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-html");
    std::fs::create_dir_all(&shots).unwrap();
    let shot = shots.join("report.png");
    let _ = std::fs::remove_file(&shot);
    let screenshot = headless(&page, &[&format!("--screenshot={}", shot.display())]);
    assert!(screenshot.status.success(), "{}", stderr(&screenshot));
    let png = std::fs::read(&shot).expect("a screenshot was written");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    // A blank page compresses to a few kilobytes; the charts and text take far more.
    assert!(
        png.len() > 30_000,
        "{} bytes: the page looks empty",
        png.len()
    );
}
