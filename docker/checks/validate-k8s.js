#!/usr/bin/env node
// Validates Kubernetes manifests against the Kubernetes API's OpenAPI schemas, which the
// kubernetes-models package carries (compiled), so no cluster and no network are needed. Every
// YAML document must be a known apiVersion and kind, with the types, enums and required fields its
// schema gives. Prints one line per problem ("FILE: kind/name: message") and exits 1 if any.
// (Like the API server's default, the schemas let unknown fields through; the build's Java tests
// check the fields wsgi4j relies on by name.)
"use strict";

const fs = require("fs");
const YAML = require("yaml");

function modelOf(apiVersion, kind) {
    if (typeof apiVersion !== "string" || !/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion)) {
        return null;
    }
    let group;
    try {
        group = require(`kubernetes-models/${apiVersion}`);
    } catch (e) {
        return null;
    }
    return Object.prototype.hasOwnProperty.call(group, kind) ? group[kind] : null;
}

function check(path) {
    const problems = [];
    const documents = YAML.parseAllDocuments(fs.readFileSync(path, "utf8"));
    for (const document of documents) {
        if (document.errors.length > 0) {
            document.errors.forEach((error) => problems.push(`${path}: ${error.message}`));
            continue;
        }
        const manifest = document.toJS();
        if (manifest === null) {
            continue;
        }
        const name = `${manifest.kind}/${manifest.metadata && manifest.metadata.name}`;
        const Model = modelOf(manifest.apiVersion, manifest.kind);
        if (Model === null) {
            problems.push(`${path}: ${name}: unknown apiVersion '${manifest.apiVersion}' and kind '${manifest.kind}'`);
            continue;
        }
        try {
            new Model(manifest).validate();
        } catch (e) {
            problems.push(`${path}: ${name}: ${e.message}`);
        }
    }
    if (documents.length === 0) {
        problems.push(`${path}: no YAML document`);
    }
    return problems;
}

const files = process.argv.slice(2);
if (files.length === 0) {
    console.error("usage: validate-k8s.js MANIFEST.yaml...");
    process.exit(2);
}
const problems = files.flatMap(check);
problems.forEach((problem) => console.log(problem));
process.exit(problems.length === 0 ? 0 : 1);
