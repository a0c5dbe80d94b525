//! `mockgrade serve` through its HTTP API: the real binary on 127.0.0.1:0 with the real
//! model. Every route, every error status, the token on and off, a graceful shutdown with
//! a request in flight, and reports identical to `grade --format json`.

mod common;
mod serve_support;

use std::time::Duration;

use common::{stdout, Sandbox};
use serve_support::{get, post, quoted, request, without_elapsed, Server};

const ANSWER: &str = "I would monitor the input feature distributions for drift and alert on it. \
    Then I would retrain the model on fresh labelled data and roll it out behind a canary.";

/// Text that takes the engine several seconds: many distinct sentences.
fn long_answer(sentences: usize) -> String {
    (0..sentences)
        .map(|n| format!("Sentence {n} says that we would check feature {n} for drift every day. "))
        .collect()
}

#[test]
fn every_route_answers_and_grade_json_is_byte_for_byte_the_clis() {
    let sandbox = Sandbox::new();
    let server = Server::start(&sandbox, &["--no-history"]);
    let addr = server.addr;

    let health = get(addr, "/healthz");
    assert_eq!(
        (health.status, health.body.as_str()),
        (200, r#"{"status":"ok"}"#)
    );
    let ready = get(addr, "/readyz");
    assert_eq!(
        (ready.status, ready.body.as_str()),
        (200, r#"{"status":"ready"}"#)
    );

    let all = get(addr, "/api/v1/questions").json();
    let all = all["questions"].as_array().unwrap().clone();
    let listed = sandbox.run(&["bank", "list", "--format", "json"]);
    assert!(listed.status.success());
    assert!(all.len() > 20, "{} questions", all.len());
    let drift = get(addr, "/api/v1/questions?topic=monitoring-drift").json();
    let drift = drift["questions"].as_array().unwrap();
    assert!(!drift.is_empty() && drift.len() < all.len());
    assert!(drift.iter().all(|q| q["topic"] == "monitoring-drift"));

    let by_number = get(addr, "/api/v1/questions/2");
    assert_eq!(by_number.status, 200);
    let question = by_number.json();
    assert_eq!(question["number"], 2);
    let id = question["id"].as_str().unwrap();
    assert_eq!(
        get(addr, &format!("/api/v1/questions/{id}")).json(),
        question
    );

    // The report is what `grade --format json` prints, newline included; only the
    // measured time may differ.
    let cli = sandbox.run(&["grade", "-q", "2", "--answer", ANSWER, "--format", "json"]);
    assert!(cli.status.success());
    let api = post(
        addr,
        "/api/v1/grade",
        &format!(r#"{{"question": 2, "answer": {}}}"#, quoted(ANSWER)),
    );
    assert_eq!(api.status, 200, "{}", api.body);
    assert_eq!(api.header("content-type"), Some("application/json"));
    assert_eq!(without_elapsed(&api.body), without_elapsed(&stdout(&cli)));

    let reference = "Monitor drift in the inputs. Retrain on fresh data.";
    let cli = sandbox.run(&[
        "grade",
        "--reference",
        reference,
        "--question-text",
        "How do you keep a model fresh?",
        "--answer",
        ANSWER,
        "--format",
        "json",
    ]);
    assert!(cli.status.success());
    let api = post(
        addr,
        "/api/v1/grade",
        &format!(
            r#"{{"reference": {}, "question_text": "How do you keep a model fresh?", "answer": {}}}"#,
            quoted(reference),
            quoted(ANSWER)
        ),
    );
    assert_eq!(api.status, 200, "{}", api.body);
    assert_eq!(without_elapsed(&api.body), without_elapsed(&stdout(&cli)));

    // A batch gets one row per record, in order: reports and error rows as `batch` writes.
    let batch = post(
        addr,
        "/api/v1/grade/batch",
        &format!(
            r#"{{"records": [{{"id": "a", "question": 2, "answer": {}}}, {{"question": "no-such-question", "answer": "x"}}, {{"id": "c", "question": 2}}]}}"#,
            quoted(ANSWER)
        ),
    );
    assert_eq!(batch.status, 200, "{}", batch.body);
    let rows = batch.json()["results"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 3);
    let single: serde_json::Value = serde_json::from_str(&stdout(
        &sandbox.run(&["grade", "-q", "2", "--answer", ANSWER, "--format", "json"]),
    ))
    .unwrap();
    assert_eq!(rows[0]["id"], "a");
    assert_eq!(rows[0]["source"], "request:1");
    assert_eq!(rows[0]["points"], single["points"]);
    assert_eq!(rows[0]["coverage"], single["coverage"]);
    assert_eq!(rows[1]["id"], "#2");
    assert_eq!(
        rows[1]["error"],
        "unknown question 'no-such-question': not an id or number in the loaded banks (see `mockgrade bank list`)"
    );
    assert_eq!(rows[2]["error"], "the record has no `answer` field");

    let page = get(addr, "/");
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(page.body.contains("<textarea id=\"answer\""));
    // Self-contained: nothing fetched from elsewhere.
    for outside in ["src=\"http", "href=\"http", "@import", "url(http"] {
        assert!(!page.body.contains(outside), "the page loads {outside}");
    }

    let metrics = get(addr, "/metrics");
    assert_eq!(metrics.status, 200);
    assert!(metrics
        .header("content-type")
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    for line in [
        "mockgrade_http_requests_total{route=\"/api/v1/grade\",status=\"200\"} 2\n",
        "mockgrade_http_requests_total{route=\"/api/v1/grade/batch\",status=\"200\"} 1\n",
        "mockgrade_http_requests_total{route=\"/api/v1/questions/{key}\",status=\"200\"} 2\n",
        "mockgrade_queue_depth 0\n",
        "mockgrade_model_ready 1\n",
        "mockgrade_http_request_duration_seconds_count{route=\"/api/v1/grade\"} 2\n",
    ] {
        assert!(
            metrics.body.contains(line),
            "no {line:?} in\n{}",
            metrics.body
        );
    }
    // Two single grades and one batch of one gradable record: three engine steps of one.
    assert!(
        metrics.body.contains("mockgrade_batch_answers_count 3\n"),
        "{}",
        metrics.body
    );
    // No CORS headers unless --allow-origin.
    let cross = request(
        addr,
        "GET",
        "/api/v1/questions/2",
        &[("Origin", "https://elsewhere.example")],
        None,
    );
    assert!(cross
        .headers
        .iter()
        .all(|(name, _)| !name.starts_with("access-control")));
}

#[test]
fn errors_are_json_with_the_right_status_kind_and_message() {
    let sandbox = Sandbox::new();
    let server = Server::start(&sandbox, &["--no-history", "--max-batch", "2"]);
    let addr = server.addr;
    let check = |response: serve_support::Response, status: u16, kind: &str, message: &str| {
        assert_eq!(response.status, status, "{}", response.body);
        assert_eq!(response.error(), (kind.to_string(), message.to_string()));
    };

    check(post(addr, "/api/v1/grade", "{not json"), 400, "bad_request",
        "the request body is not the JSON this endpoint takes: key must be a string at line 1 column 2");
    check(post(addr, "/api/v1/grade", r#"{"answer": "x"}"#), 400, "bad_request",
        "say what to grade against: `question` (a bank id or number), or `reference` (with optional `question_text`)");
    check(post(addr, "/api/v1/grade", r#"{"question": 2, "answer": "x", "extra": 1}"#), 400, "bad_request",
        "the request body is not the JSON this endpoint takes: unknown field `extra`, expected one of `question`, `reference`, `question_text`, `answer` at line 1 column 38");
    check(
        post(
            addr,
            "/api/v1/grade",
            r#"{"reference": " ", "answer": "x"}"#,
        ),
        400,
        "bad_request",
        "the reference is empty: give at least one sentence in `reference`",
    );
    check(get(addr, "/api/v1/questions?topic=cooking"), 400, "bad_request",
        "unknown topic 'cooking'; expected one of: data, privacy-security, training, deployment, serving-latency, scaling, monitoring-drift, pipelines-ci-cd, fairness-explainability, recommendation");

    check(
        post(addr, "/api/v1/grade", r#"{"question": 999, "answer": "x"}"#),
        404,
        "unknown_question",
        "unknown question '999': not an id or number in the loaded banks (see `mockgrade bank list`)",
    );
    check(
        get(addr, "/api/v1/questions/999"),
        404,
        "unknown_question",
        "unknown question '999': not an id or number in the loaded banks (see `mockgrade bank list`)",
    );
    check(get(addr, "/api/v2/grade"), 404, "not_found",
        "no route /api/v2/grade: see README \"Serve\" for the API (/api/v1/questions, /api/v1/grade, …)");

    // The CLI's 256 KiB answer limit, inside a body the server reads...
    let answer = "word ".repeat(60_000);
    check(
        post(
            addr,
            "/api/v1/grade",
            &format!(r#"{{"question": 2, "answer": "{answer}"}}"#),
        ),
        413,
        "too_large",
        "`answer` is 300000 bytes; the limit is 262144 bytes (256 KiB)",
    );
    // ...and a body over the limit, refused before it is read whole.
    let huge = "x".repeat(1024 * 1024 + 1);
    check(
        post(addr, "/api/v1/grade", &huge),
        413,
        "too_large",
        "the request body is larger than 1 MiB; send less (each answer may be up to 256 KiB)",
    );
    let records = r#"{"records": [{"question": 2, "answer": "a"}, {"question": 2, "answer": "b"}, {"question": 2, "answer": "c"}]}"#;
    check(post(addr, "/api/v1/grade/batch", records), 413, "too_large",
        "the batch has 3 records; the limit is 2 per request (split it, or start serve with a larger --max-batch)");

    let metrics = get(addr, "/metrics").body;
    assert!(
        metrics
            .contains("mockgrade_http_requests_total{route=\"/api/v1/grade\",status=\"413\"} 2\n"),
        "{metrics}"
    );
    assert!(
        metrics.contains("mockgrade_http_requests_total{route=\"unmatched\",status=\"404\"} 1\n"),
        "{metrics}"
    );
}

#[test]
fn a_full_queue_answers_429_and_an_answer_past_its_deadline_503() {
    let sandbox = Sandbox::new();
    let server = Server::start(
        &sandbox,
        &["--no-history", "--queue", "1", "--timeout", "2s"],
    );
    let addr = server.addr;
    // A long answer keeps the engine busy well past the 2 s deadline.
    let long = std::thread::spawn(move || {
        post(
            addr,
            "/api/v1/grade",
            &format!(
                r#"{{"question": 2, "answer": {}}}"#,
                quoted(&long_answer(800))
            ),
        )
    });
    std::thread::sleep(Duration::from_millis(700));
    // This one waits in the queue's one place behind it...
    let waiting = std::thread::spawn(move || {
        post(
            addr,
            "/api/v1/grade",
            &format!(r#"{{"question": 2, "answer": {}}}"#, quoted(ANSWER)),
        )
    });
    std::thread::sleep(Duration::from_millis(500));
    // ...so the next is refused at once.
    let refused = post(
        addr,
        "/api/v1/grade",
        &format!(r#"{{"question": 2, "answer": {}}}"#, quoted(ANSWER)),
    );
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert_eq!(refused.header("retry-after"), Some("1"));
    assert_eq!(
        refused.error(),
        (
            "queue_full".into(),
            "the grading queue is full (1 of 1 answers waiting); retry in a moment".into()
        )
    );
    for late in [long.join().unwrap(), waiting.join().unwrap()] {
        assert_eq!(late.status, 503, "{}", late.body);
        assert_eq!(late.header("retry-after"), Some("1"));
        assert_eq!(
            late.error(),
            (
                "timeout".into(),
                "the answer was not graded within 2s because the server is busy; retry in a moment"
                    .into()
            )
        );
    }
    let metrics = get(addr, "/metrics").body;
    assert!(
        metrics.contains("mockgrade_queue_refused_total 1\n"),
        "{metrics}"
    );
    assert!(
        metrics.contains("mockgrade_queue_timeouts_total 2\n"),
        "{metrics}"
    );
}

#[test]
fn the_token_guards_the_api_but_not_the_probes_or_the_page() {
    let sandbox = Sandbox::new();
    let token = "s3cret-token-for-tests";
    let server = Server::start(
        &sandbox,
        &[
            "--no-history",
            "--token",
            token,
            "--allow-origin",
            "https://school.example",
        ],
    );
    let addr = server.addr;
    let body = format!(r#"{{"question": 2, "answer": {}}}"#, quoted(ANSWER));
    for auth in [
        None,
        Some("Bearer wrong-token-for-tests!!"),
        Some("s3cret-token-for-tests"),
    ] {
        let headers: Vec<(&str, &str)> = auth
            .map(|value| ("Authorization", value))
            .into_iter()
            .collect();
        let denied = request(
            addr,
            "POST",
            "/api/v1/grade",
            &headers,
            Some(body.as_bytes()),
        );
        assert_eq!(denied.status, 401);
        assert_eq!(denied.header("www-authenticate"), Some("Bearer"));
        assert_eq!(
            denied.error(),
            (
                "unauthorized".into(),
                "this server needs its token: send the header `Authorization: Bearer TOKEN`".into()
            )
        );
    }
    assert_eq!(get(addr, "/metrics").status, 401);
    let bearer = format!("Bearer {token}");
    let allowed = request(
        addr,
        "POST",
        "/api/v1/grade",
        &[("Authorization", &bearer)],
        Some(body.as_bytes()),
    );
    assert_eq!(allowed.status, 200, "{}", allowed.body);
    for open in ["/", "/healthz", "/readyz"] {
        assert_eq!(get(addr, open).status, 200, "{open}");
    }

    // The allowed origin gets CORS headers, a preflight needs no token; others get none.
    let preflight = request(
        addr,
        "OPTIONS",
        "/api/v1/grade",
        &[
            ("Origin", "https://school.example"),
            ("Access-Control-Request-Method", "POST"),
        ],
        None,
    );
    assert_eq!(preflight.status, 204);
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some("https://school.example")
    );
    assert_eq!(
        preflight.header("access-control-allow-headers"),
        Some("authorization, content-type")
    );
    let from_other = request(
        addr,
        "GET",
        "/api/v1/questions/2",
        &[
            ("Origin", "https://elsewhere.example"),
            ("Authorization", &bearer),
        ],
        None,
    );
    assert_eq!(from_other.status, 200);
    assert_eq!(from_other.header("access-control-allow-origin"), None);

    // MOCKGRADE_TOKEN works as --token does; the questions need no model, so this server
    // is not waited for.
    let from_env =
        Server::spawn_with_env(&sandbox, &["--no-history"], &[("MOCKGRADE_TOKEN", token)]);
    assert_eq!(get(from_env.addr, "/api/v1/questions/2").status, 401);
    let with_token = request(
        from_env.addr,
        "GET",
        "/api/v1/questions/2",
        &[("Authorization", &bearer)],
        None,
    );
    assert_eq!(with_token.status, 200);

    // Anything but loopback needs a token; the server refuses before listening.
    let open = sandbox.run(&["serve", "--bind", "0.0.0.0:0"]);
    assert_eq!(open.status.code(), Some(2));
    assert_eq!(
        common::first_error_line(&open),
        "error: --bind 0.0.0.0:0 is not a loopback address, so anyone who can reach it could use the server: give --token TOKEN (or set MOCKGRADE_TOKEN), or bind to 127.0.0.1"
    );
}

#[test]
fn sigterm_finishes_the_request_in_flight_then_exits_0() {
    let sandbox = Sandbox::new();
    let mut server = Server::start(&sandbox, &["--no-history"]);
    let addr = server.addr;
    let in_flight = std::thread::spawn(move || {
        post(
            addr,
            "/api/v1/grade",
            &format!(
                r#"{{"question": 2, "answer": {}}}"#,
                quoted(&long_answer(150))
            ),
        )
    });
    std::thread::sleep(Duration::from_millis(500));
    server.terminate();
    let response = in_flight.join().unwrap();
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(response.json()["schema"], 2);
    let status = server.wait_exit(Duration::from_secs(60));
    assert_eq!(status.code(), Some(0), "{}", server.stderr());
    let log = server.stderr();
    assert!(
        log.contains("mockgrade serve: signal received; no new connections, finishing requests\n"),
        "{log}"
    );
    assert!(log.ends_with("mockgrade serve: stopped\n"), "{log}");
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "still listening after exit"
    );
}

#[test]
fn readyz_and_grading_say_503_when_the_model_cannot_load() {
    let sandbox = Sandbox::new();
    let broken = common::truncated_model(&sandbox, "broken-model", |len| len / 2);
    let server = Server::spawn(
        &sandbox,
        &["--no-history", "--model", broken.to_str().unwrap()],
    );
    let addr = server.addr;
    assert_eq!(get(addr, "/healthz").status, 200);
    let ready = loop {
        let ready = get(addr, "/readyz");
        if ready.error().1 != "the model is still loading; retry in a moment" {
            break ready;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(ready.status, 503);
    assert_eq!(ready.header("retry-after"), Some("1"));
    let (kind, message) = ready.error();
    assert_eq!(kind, "not_ready");
    assert!(message.starts_with("the model failed to load: cannot start the embedding model: cannot load the model from "), "{message}");
    let grade = post(addr, "/api/v1/grade", r#"{"question": 2, "answer": "x"}"#);
    assert_eq!((grade.status, grade.error()), (503, (kind, message)));
}
