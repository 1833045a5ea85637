//! Documents end to end: the presigned upload's scope and expiry, a real upload over plain HTTP
//! (no SDK), the bucket notification driving the checker, versions, downloads, obligations.

use e2e::TestApp;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Duration;

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";

struct Ctx {
    org: String,
    token: String,
    lease: String,
}

async fn setup(app: &TestApp) -> Ctx {
    let fx = e2e::catalog::Fixture::seed(app, "o@example.com").await;
    Ctx { token: app.token("o@example.com"), org: fx.org, lease: fx.lease }
}

impl Ctx {
    fn path(&self, rest: &str) -> String {
        format!("/api/v1/orgs/{}{rest}", self.org)
    }
}

fn query(url: &str) -> HashMap<String, String> {
    let q = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    q.split('&').filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.to_owned(), v.to_owned())).collect()
}

/// PUTs `bytes` exactly as a browser would: the URL and headers the API gave, nothing else.
async fn upload(app: &TestApp, doc: &Value, bytes: &[u8]) -> u16 {
    let up = &doc["upload"];
    let mut req = app.http.put(up["url"].as_str().unwrap()).body(bytes.to_vec());
    for (k, v) in up["headers"].as_object().unwrap() {
        req = req.header(k.as_str(), v.as_str().unwrap());
    }
    req.send().await.unwrap().status().as_u16()
}

/// Waits (≤ 10 s) for the checker to decide the version.
async fn settled(app: &TestApp, c: &Ctx, doc: &str, version: u64) -> Value {
    for _ in 0..200 {
        let d = app.get(&c.path(&format!("/documents/{doc}")), &c.token).await.expect(200).body;
        let v = d["versions"].as_array().unwrap().iter().find(|v| v["version"] == version).cloned().unwrap();
        if v["status"] != "pending" {
            return d;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("version {version} of {doc} was never checked");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pdf_uploaded_through_the_presigned_url_becomes_available_and_downloadable() {
    let app = TestApp::spawn().await;
    let c = setup(&app).await;
    let body = json!({"subject": {"type": "lease", "id": c.lease}, "name": "Signed lease.pdf", "contentType": "application/pdf", "sizeBytes": PDF.len()});
    let doc = app.post(&c.path("/documents"), &c.token, body).await.expect(201).body;
    let id = doc["id"].as_str().unwrap().to_owned();
    assert_eq!(doc["versions"][0]["status"], "pending");

    // The URL is scoped to this org's prefix, this document and version, the declared type and
    // size, and expires (the emulator does not enforce these: we check what was signed).
    let url = doc["upload"]["url"].as_str().unwrap();
    let bucket = &app.stack.refs["DocumentsBucket"];
    assert!(url.contains(&format!("/{bucket}/org/{}/documents/{id}/v1?", c.org)), "{url}");
    let q = query(url);
    assert_eq!(q["X-Amz-Algorithm"], "AWS4-HMAC-SHA256");
    assert!(q["X-Amz-Expires"].parse::<u64>().unwrap() <= 900);
    let signed = &q["X-Amz-SignedHeaders"];
    assert!(
        signed.contains("content-type") && signed.contains("content-length") && signed.contains("host"),
        "{signed}"
    );
    assert_eq!(doc["upload"]["method"], "PUT");
    assert_eq!(doc["upload"]["headers"]["content-type"], "application/pdf");
    assert_eq!(doc["upload"]["headers"]["content-length"], PDF.len().to_string());

    assert_eq!(upload(&app, &doc, PDF).await, 200);
    let done = settled(&app, &c, &id, 1).await;
    assert_eq!(done["versions"][0]["status"], "available", "{done}");
    let download = done["download"]["url"].as_str().unwrap();
    let q = query(download);
    assert!(q["X-Amz-Expires"].parse::<u64>().unwrap() <= 300);
    assert!(download.contains(&format!("/org/{}/documents/{id}/v1?", c.org)));
    let got = app.http.get(download).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(&got[..], PDF);

    // Re-PUTting other bytes to the same upload URL (still valid) changes nothing served: the
    // download is pinned to the S3 object version that was checked.
    let mut impostor = b"MZ".to_vec();
    impostor.resize(PDF.len(), b'x');
    assert_eq!(upload(&app, &doc, &impostor).await, 200);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let again = app.get(&c.path(&format!("/documents/{id}")), &c.token).await.expect(200).body;
    assert_eq!(again["versions"][0]["status"], "available");
    let got = app.http.get(again["download"]["url"].as_str().unwrap()).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(&got[..], PDF, "the checked bytes, not the later upload");

    // A second version keeps the first.
    let v2 = app
        .post(
            &c.path(&format!("/documents/{id}/versions")),
            &c.token,
            json!({"contentType": "image/png", "sizeBytes": PNG.len()}),
        )
        .await
        .expect(201)
        .body;
    assert!(v2["upload"]["url"].as_str().unwrap().contains(&format!("/documents/{id}/v2?")));
    assert_eq!(upload(&app, &v2, PNG).await, 200);
    let done = settled(&app, &c, &id, 2).await;
    let versions: Vec<(u64, &str)> = done["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["version"].as_u64().unwrap(), v["status"].as_str().unwrap()))
        .collect();
    assert_eq!(versions, [(1, "available"), (2, "available")]);
    assert_eq!(done["download"]["version"], 2);
    let listed =
        app.get(&c.path(&format!("/documents?subjectType=lease&subjectId={}", c.lease)), &c.token).await.expect(200);
    assert!(listed.body["items"].as_array().unwrap().iter().any(|d| d["id"] == id.as_str()));
}

#[tokio::test(flavor = "multi_thread")]
async fn bytes_that_are_not_the_declared_type_or_size_are_rejected() {
    let app = TestApp::spawn().await;
    let c = setup(&app).await;
    let create = |ct: &str, size: usize| json!({"subject": {"type": "lease", "id": c.lease}, "name": "scan", "contentType": ct, "sizeBytes": size});
    let fake = b"MZ\x90\0this is an executable pretending to be a pdf";
    let doc = app.post(&c.path("/documents"), &c.token, create("application/pdf", fake.len())).await.expect(201).body;
    assert_eq!(upload(&app, &doc, fake).await, 200);
    let done = settled(&app, &c, doc["id"].as_str().unwrap(), 1).await;
    assert_eq!(done["versions"][0]["status"], "rejected");
    assert!(done["versions"][0]["rejectedReason"].as_str().unwrap().contains("not application/pdf"));
    assert!(done["download"].is_null(), "nothing to download");

    let doc =
        app.post(&c.path("/documents"), &c.token, create("application/pdf", PDF.len() + 10)).await.expect(201).body;
    let mut req = app.http.put(doc["upload"]["url"].as_str().unwrap()).body(PDF.to_vec());
    req = req.header("content-type", "application/pdf");
    assert_eq!(req.send().await.unwrap().status().as_u16(), 200);
    let done = settled(&app, &c, doc["id"].as_str().unwrap(), 1).await;
    assert_eq!(done["versions"][0]["status"], "rejected");
    assert!(done["versions"][0]["rejectedReason"].as_str().unwrap().contains("declared"));

    let events = app
        .table_items()
        .await
        .into_iter()
        .filter(|i| i.get("type").and_then(|t| t.as_s().ok()).is_some_and(|t| t == "document.rejected"))
        .count();
    assert_eq!(events, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn documents_refuse_bad_files_and_other_orgs_subjects() {
    let app = TestApp::spawn().await;
    let c = setup(&app).await;
    let other = e2e::catalog::Fixture::seed(&app, "x@example.com").await;
    let before = app.table_items().await.len();
    let body = |subject: Value, ct: &str, size: u64| json!({"subject": subject, "name": "f", "contentType": ct, "sizeBytes": size});
    let lease = json!({"type": "lease", "id": c.lease});
    let res = app
        .post(&c.path("/documents"), &c.token, body(lease.clone(), "application/x-msdownload", 10))
        .await
        .problem(400);
    assert_eq!(res.error_fields(), ["contentType"]);
    let res = app
        .post(&c.path("/documents"), &c.token, body(lease.clone(), "application/pdf", 25 * 1024 * 1024 + 1))
        .await
        .problem(400);
    assert_eq!(res.error_fields(), ["sizeBytes"]);
    app.post(&c.path("/documents"), &c.token, body(lease.clone(), "application/pdf", 0)).await.problem(400);
    for foreign in [
        json!({"type": "lease", "id": other.lease}),
        json!({"type": "unit", "id": other.unit}),
        json!({"type": "tenant", "id": other.tenant}),
        json!({"type": "building", "id": other.building}),
    ] {
        app.post(&c.path("/documents"), &c.token, body(foreign, "application/pdf", 10)).await.problem(404);
    }
    app.post(&c.path("/documents"), &c.token, body(json!({"type": "expense", "id": "exp_x"}), "application/pdf", 10))
        .await
        .problem(404);
    app.get(&c.path(&format!("/documents/{}", other.document)), &c.token).await.problem(404);
    app.post(
        &c.path(&format!("/documents/{}/versions", other.document)),
        &c.token,
        json!({"contentType": "application/pdf", "sizeBytes": 10}),
    )
    .await
    .problem(404);
    assert_eq!(app.table_items().await.len(), before);
    app.get(&c.path("/documents"), &c.token).await.problem(400);
}

#[tokio::test(flavor = "multi_thread")]
async fn obligations_list_open_ones_first_by_due_date() {
    let app = TestApp::spawn().await;
    let c = setup(&app).await;
    let mk = |name: &str, due: &str| json!({"subject": {"type": "lease", "id": c.lease}, "name": name, "contentType": "application/pdf", "sizeBytes": 100, "expiresOn": due});
    let insurance = app.post(&c.path("/documents"), &c.token, mk("Insurance", "2027-03-01")).await.expect(201).id();
    app.post(&c.path("/documents"), &c.token, mk("Permit", "2027-02-01")).await.expect(201);
    app.post(&c.path("/documents"), &c.token, mk("Far away", "2029-01-01")).await.expect(201);
    // Renewing the insurance fulfils the March obligation and opens one a year later.
    app.post(
        &c.path(&format!("/documents/{insurance}/versions")),
        &c.token,
        json!({"contentType": "application/pdf", "sizeBytes": 100, "expiresOn": "2028-03-01"}),
    )
    .await
    .expect(201);
    let res = app.get(&c.path("/obligations?dueBefore=2028-06-01"), &c.token).await.expect(200);
    let got: Vec<(String, String, String)> = res.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["name"].as_str().unwrap().to_owned(),
                o["dueOn"].as_str().unwrap().to_owned(),
                o["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want = [
        ("Permit", "2027-02-01", "open"),
        ("Insurance", "2028-03-01", "open"),
        ("Insurance", "2027-03-01", "fulfilled"),
    ];
    assert_eq!(got, want.map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned())));
    app.get(&c.path("/obligations"), &c.token).await.problem(400);

    // A list cursor is bound to its filter: another subject's list refuses it.
    let page = app
        .get(&c.path(&format!("/documents?subjectType=lease&subjectId={}&limit=1", c.lease)), &c.token)
        .await
        .expect(200);
    let cursor = page.body["nextCursor"].as_str().expect("more than one document").to_owned();
    app.get(&c.path(&format!("/documents?subjectType=lease&subjectId={}&limit=1&cursor={cursor}", c.lease)), &c.token)
        .await
        .expect(200);
    let other =
        app.get(&c.path(&format!("/documents?subjectType=unit&subjectId={}&cursor={cursor}", c.lease)), &c.token).await;
    assert_eq!(other.problem(400).error_fields(), ["cursor"]);
}
