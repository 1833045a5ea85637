//! Reads `template.yaml` (SAM): functions with their binaries, HTTP API routes and environment,
//! and the resources devstack creates on the emulator. CloudFormation tags (`!Ref`, `!Sub`,
//! `!GetAtt`) are kept as tagged values and resolved against the names devstack chose.

use serde_yaml::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("cannot read template: {0}")]
    Io(#[from] std::io::Error),
    #[error("template is not valid YAML: {0}")]
    Yaml(#[from] serde_yaml::Error),
    #[error("template: {0}")]
    Shape(String),
}

#[derive(Debug, Clone)]
pub struct Route {
    pub method: String,
    pub path: String,
    /// False for routes declared with `Auth: Authorizer: NONE`.
    pub auth: bool,
}

impl Route {
    pub fn key(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

#[derive(Debug, Clone)]
pub struct Function {
    pub logical_id: String,
    /// The cargo binary (`Metadata.BuildProperties.Binary`).
    pub binary: String,
    pub routes: Vec<Route>,
    /// Global then function environment, unresolved.
    pub environment: BTreeMap<String, Value>,
    pub properties: Value,
    pub metadata: Value,
}

#[derive(Debug, Clone)]
pub struct Template {
    pub raw: Value,
    pub functions: Vec<Function>,
}

impl Template {
    pub fn load(path: &Path) -> Result<Template, TemplateError> {
        Template::parse(&std::fs::read_to_string(path)?)
    }

    /// The repository's template (devstack lives in `infra/devstack`).
    pub fn load_default() -> Result<Template, TemplateError> {
        Template::load(&repo_root().join("template.yaml"))
    }

    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        let raw: Value = serde_yaml::from_str(text)?;
        let globals_env =
            raw["Globals"]["Function"]["Environment"]["Variables"].as_mapping().cloned().unwrap_or_default();
        let mut functions = Vec::new();
        for (id, res) in resources(&raw) {
            if res["Type"].as_str() != Some("AWS::Serverless::Function") {
                continue;
            }
            let props = res["Properties"].clone();
            let binary = res["Metadata"]["BuildProperties"]["Binary"]
                .as_str()
                .ok_or_else(|| TemplateError::Shape(format!("{id}: Metadata.BuildProperties.Binary is missing")))?
                .to_owned();
            let mut environment = BTreeMap::new();
            for (k, v) in globals_env.iter().chain(props["Environment"]["Variables"].as_mapping().into_iter().flatten())
            {
                if let Some(k) = k.as_str() {
                    environment.insert(k.to_owned(), v.clone());
                }
            }
            let mut routes = Vec::new();
            for (_, ev) in props["Events"].as_mapping().into_iter().flatten() {
                if ev["Type"].as_str() != Some("HttpApi") {
                    continue;
                }
                let p = &ev["Properties"];
                let (Some(method), Some(path)) = (p["Method"].as_str(), p["Path"].as_str()) else {
                    return Err(TemplateError::Shape(format!("{id}: an HttpApi event needs Method and Path")));
                };
                let auth = p["Auth"]["Authorizer"].as_str() != Some("NONE");
                routes.push(Route { method: method.to_uppercase(), path: path.to_owned(), auth });
            }
            functions.push(Function {
                logical_id: id.clone(),
                binary,
                routes,
                environment,
                properties: props,
                metadata: res["Metadata"].clone(),
            });
        }
        Ok(Template { raw, functions })
    }

    /// Resources of one CloudFormation type, by logical id.
    pub fn resources_of(&self, kind: &str) -> Vec<(String, Value)> {
        resources(&self.raw).into_iter().filter(|(_, r)| r["Type"].as_str() == Some(kind)).collect()
    }
}

fn resources(raw: &Value) -> Vec<(String, Value)> {
    raw["Resources"]
        .as_mapping()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.as_str()?.to_owned(), v.clone())))
        .collect()
}

/// The repository root: the workspace directory above `infra/devstack`.
pub fn repo_root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap_or_else(|_| Path::new(".").to_path_buf())
}

/// Resolves a template value to a string: plain scalars, `!Ref` to a resource or parameter,
/// `!GetAtt X.Arn`/`.QueueUrl`, and `!Sub` over those.
pub fn resolve(v: &Value, refs: &HashMap<String, String>) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => {
            let tag = t.tag.to_string();
            match tag.as_str() {
                "!Ref" => refs.get(t.value.as_str()?).cloned(),
                "!GetAtt" => {
                    let s = t.value.as_str()?;
                    refs.get(s).or_else(|| refs.get(s.split('.').next()?)).cloned()
                }
                "!Sub" => {
                    let mut s = t.value.as_str()?.to_owned();
                    while let Some(start) = s.find("${") {
                        let end = s[start..].find('}')? + start;
                        let name = &s[start + 2..end];
                        let val = refs.get(name).cloned().unwrap_or_default();
                        s.replace_range(start..=end, &val);
                    }
                    Some(s)
                }
                _ => None,
            }
        }
        _ => None,
    }
}
