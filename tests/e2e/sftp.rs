//! SFTP imports end to end against Debian's OpenSSH `sshd` on 127.0.0.1 (installed by the test
//! scripts: `infra/scripts/apt-tools.sh openssh-server`; started by `infra/scripts/sftp-server.sh`,
//! as `make dev` starts one): the org connects its server with a
//! private key and the pinned host key, `job-sftp-poll` picks a new file up once and it becomes an
//! import committed like an upload; the same file, or its content under another name, is not
//! imported again; a server presenting another host key is refused before anything is read.

use e2e::{eventually, TestApp};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

/// An `sshd` of its own (`infra/scripts/sftp-server.sh`: host key, authorized client key,
/// port), stopped when dropped.
struct Sshd {
    port: u16,
    dir: PathBuf,
    /// The directory the org's files are dropped in.
    drop: PathBuf,
}

fn keygen(path: &Path) -> String {
    let ok = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "test", "-f"])
        .arg(path)
        .status()
        .expect("ssh-keygen (Debian openssh-client) is installed by the test scripts");
    assert!(ok.success());
    std::fs::read_to_string(path.with_extension("pub")).unwrap().trim().to_owned()
}

fn script() -> PathBuf {
    devstack::template::repo_root().join("infra/scripts/sftp-server.sh")
}

impl Sshd {
    fn start() -> Sshd {
        let dir = std::env::temp_dir().join(format!("sftp-test-{}", ulid::Ulid::new()));
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let ok = Command::new(script()).arg("start").arg(port.to_string()).arg(&dir).status();
        assert!(ok.expect("infra/scripts/sftp-server.sh runs").success(), "sshd started on {port}");
        let drop = dir.join("outgoing");
        Sshd { port, dir, drop }
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(name)).unwrap()
    }

    /// Drops a file as a bank's export would: written, then left alone (its time 2 minutes ago,
    /// past the poll's "still being written" minute).
    fn put(&self, name: &str, content: &str) {
        let path = self.drop.join(name);
        std::fs::write(&path, content).unwrap();
        let ok = Command::new("touch").args(["-d", "2 minutes ago"]).arg(&path).status().unwrap();
        assert!(ok.success());
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = Command::new(script()).arg("stop").arg(&self.dir).status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn user() -> String {
    let out = Command::new("id").arg("-un").output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

async fn poll(app: &TestApp) {
    app.stack.run_job_to_completion("job-sftp-poll", json!({"scheduledTime": "2027-01-01T12:15:00Z"})).await.unwrap();
}

async fn imports(app: &TestApp, org: &str, token: &str) -> Vec<Value> {
    let list = app.get(&format!("/api/v1/orgs/{org}/imports"), token).await.expect(200).body;
    list["items"].as_array().unwrap().clone()
}

const TENANTS: &str = "firstName,lastName,email,phone\n\
    Ada,Lovelace,ada@example.com,+15550100001\n\
    Grace,Hopper,grace@example.com,\n\
    Alan,Turing,alan@example.com,+15550100003\n";

/// A connection's body for `sshd`, pinning `host_key`, with `private_key` when given.
fn body(sshd: &Sshd, host_key: &str, private_key: Option<String>) -> Value {
    let mut body = json!({"host": "127.0.0.1", "port": sshd.port, "username": user(),
        "hostKey": host_key, "path": sshd.drop.display().to_string(), "kind": "tenants"});
    if let Some(k) = private_key {
        body["privateKey"] = json!(k);
    }
    body
}

/// Bad input names its field and stores nothing: a host key that is not one, a private address
/// (only loopback is let through locally), no private key the first time.
async fn bad_input_is_refused_and_nothing_stored(app: &TestApp, path: &str, token: &str, sshd: &Sshd) {
    let (host_key, private_key) = (sshd.read("host_ed25519.pub"), sshd.read("client_ed25519"));
    let bad = app.call("PUT", path, token, Some(body(sshd, "ssh-ed25519 AAAAnope", Some(private_key.clone())))).await;
    assert_eq!(bad.problem(400).error_fields(), ["hostKey"]);
    let mut private_host = body(sshd, host_key.trim(), Some(private_key));
    private_host["host"] = json!("10.0.0.5");
    assert_eq!(app.call("PUT", path, token, Some(private_host)).await.problem(400).error_fields(), ["host"]);
    let keyless = app.call("PUT", path, token, Some(body(sshd, host_key.trim(), None))).await;
    assert_eq!(keyless.problem(400).error_fields(), ["privateKey"]);
    assert_eq!(app.get(path, token).await.expect(200).body["status"], "not_connected");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_file_on_the_orgs_sftp_server_is_imported_once_and_a_foreign_host_key_is_refused() {
    let app = TestApp::spawn().await;
    let owner = "sftp-owner@example.com";
    let org = app.create_org(owner, "Drop Box Rentals").await;
    let token = app.token(owner);
    let sshd = Sshd::start();
    let path = format!("/api/v1/orgs/{org}/integrations/sftp");
    let connect = |host_key: &str, private_key: Option<String>| body(&sshd, host_key, private_key);
    let host_key = sshd.read("host_ed25519.pub");
    let private_key = sshd.read("client_ed25519");
    bad_input_is_refused_and_nothing_stored(&app, &path, &token, &sshd).await;

    let shown =
        app.call("PUT", &path, &token, Some(connect(host_key.trim(), Some(private_key)))).await.expect(200).body;
    assert_eq!(shown["status"], "connected");
    assert!(shown["hostKeyFingerprint"].as_str().unwrap().starts_with("SHA256:"), "{shown}");
    let got = app.get(&path, &token).await.expect(200).body;
    assert!(got.get("privateKey").is_none() && !got.to_string().contains("PRIVATE KEY"), "never answered: {got}");

    // A new file: picked up by the poll, imported and committed.
    sshd.put("tenants-2027-01.csv", TENANTS);
    poll(&app).await;
    let first = eventually("the SFTP file's import to commit", 120, async || {
        let list = imports(&app, &org, &token).await;
        list.into_iter().find(|i| i["status"] == "committed")
    })
    .await;
    assert_eq!((first["kind"].as_str(), first["name"].as_str()), (Some("tenants"), Some("tenants-2027-01.csv")));
    assert_eq!(first["counts"]["created"], 3, "{first}");
    let tenants = app.get(&format!("/api/v1/orgs/{org}/tenants"), &token).await.expect(200).body;
    assert_eq!(tenants["items"].as_array().unwrap().len(), 3);
    let status = app.get(&path, &token).await.expect(200).body;
    assert_eq!((status["lastPoll"]["status"].as_str(), status["lastPoll"]["newFiles"].as_u64()), (Some("ok"), Some(1)));

    // Polled again: nothing new. The same content under another name: not imported again.
    poll(&app).await;
    sshd.put("tenants-2027-01 (copy).csv", TENANTS);
    poll(&app).await;
    assert_eq!(imports(&app, &org, &token).await.len(), 1, "one import for one content");
    assert_eq!(app.get(&path, &token).await.expect(200).body["lastPoll"]["newFiles"], 0);

    // Another host key pinned (the key kept): the server is refused before anything is read.
    let other = keygen(&sshd.dir.join("other_ed25519"));
    app.call("PUT", &path, &token, Some(connect(&other, None))).await.expect(200);
    sshd.put("tenants-2027-02.csv", "firstName,lastName,email\nKatherine,Johnson,kj@example.com\n");
    poll(&app).await;
    let refused = app.get(&path, &token).await.expect(200).body;
    assert_eq!(refused["lastPoll"]["status"], "error", "{refused}");
    let why = refused["lastPoll"]["error"].as_str().unwrap();
    assert!(why.contains("not the pinned") && why.contains(refused["hostKeyFingerprint"].as_str().unwrap()), "{why}");
    assert_eq!(imports(&app, &org, &token).await.len(), 1, "nothing read from a server we do not trust");

    // The right key again: the new file comes in. Disconnecting keeps the imports.
    app.call("PUT", &path, &token, Some(connect(host_key.trim(), None))).await.expect(200);
    poll(&app).await;
    eventually("the second file's import to commit", 120, async || {
        let list = imports(&app, &org, &token).await;
        (list.iter().filter(|i| i["status"] == "committed").count() == 2).then_some(())
    })
    .await;
    app.delete(&path, &token).await.expect(204);
    assert_eq!(app.get(&path, &token).await.expect(200).body["status"], "not_connected");
    app.delete(&path, &token).await.problem(404);
    assert_eq!(imports(&app, &org, &token).await.len(), 2);
}
