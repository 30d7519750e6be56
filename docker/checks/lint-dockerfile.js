#!/usr/bin/env node
// Lints the given Dockerfiles; prints one line per problem ("FILE:LINE: message") and exits 1 if
// there is any. Two layers:
//  - Docker's own syntax, with dockerfile-utils (the validator behind the Dockerfile language
//    server): unknown instructions and flags, bad JSON forms, missing arguments, every warning
//    counted as an error;
//  - wsgi4j's rules for a shipped image: every base image pinned, by digest or by a tag that starts
//    with a MAJOR.MINOR version (not "latest", "jre", "3" or a bare name); in the final stage a USER that is not root, a HEALTHCHECK, and an ENTRYPOINT in
//    exec (JSON) form, so the JVM is PID 1 and receives SIGTERM itself.
"use strict";

const fs = require("fs");
const { validate, ValidationSeverity } = require("dockerfile-utils");
const { DockerfileParser } = require("dockerfile-ast");

const STRICT = {
    deprecatedMaintainer: ValidationSeverity.ERROR,
    directiveCasing: ValidationSeverity.ERROR,
    emptyContinuationLine: ValidationSeverity.ERROR,
    instructionCasing: ValidationSeverity.ERROR,
    instructionCmdMultiple: ValidationSeverity.ERROR,
    instructionEntrypointMultiple: ValidationSeverity.ERROR,
    instructionHealthcheckMultiple: ValidationSeverity.ERROR,
    instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
    instructionWorkdirRelative: ValidationSeverity.ERROR,
};

function lint(path) {
    const content = fs.readFileSync(path, "utf8");
    const problems = [];
    const report = (line, message) => problems.push(`${path}:${line + 1}: ${message}`);

    for (const diagnostic of validate(content, STRICT)) {
        report(diagnostic.range.start.line, diagnostic.message);
    }

    const dockerfile = DockerfileParser.parse(content);
    const stages = dockerfile.getFROMs();
    if (stages.length === 0) {
        report(0, "no FROM instruction");
        return problems;
    }
    const stageNames = new Set();
    for (const from of stages) {
        const line = from.getRange().start.line;
        const image = from.getImageName();
        if (image !== null && stageNames.has(image.toLowerCase())) {
            // FROM an earlier stage of this file: nothing to pin.
        } else if (image === null || image.includes("$")) {
            report(line, `base image '${from.getImage()}' must be written out, not computed, so the pin is visible`);
        } else if (from.getImageDigest() === null && from.getImageTag() === null) {
            report(line, `base image '${image}' has no tag: pin a version (${image}:X.Y...)`);
        } else if (from.getImageDigest() === null && !/^v?\d+\.\d+/.test(from.getImageTag())) {
            report(line, `base image '${from.getImage()}' is not pinned: tag '${from.getImageTag()}' does not start with a MAJOR.MINOR version`);
        }
        if (from.getBuildStage() !== null) {
            stageNames.add(from.getBuildStage().toLowerCase());
        }
    }

    const finalStage = stages[stages.length - 1];
    const start = finalStage.getRange().start.line;
    const finalInstructions = dockerfile.getInstructions().filter((i) => i.getRange().start.line >= start);
    const named = (keyword) => finalInstructions.filter((i) => i.getKeyword() === keyword);

    const users = named("USER");
    if (users.length === 0) {
        report(start, "the final stage has no USER: the image would run as root");
    } else {
        const last = users[users.length - 1];
        const user = (last.getArgumentsContent() || "").split(":")[0];
        if (user === "root" || /^0+$/.test(user)) {
            report(last.getRange().start.line, `the final stage runs as '${user}': use a non-root USER`);
        }
    }

    const healthchecks = named("HEALTHCHECK");
    if (healthchecks.length === 0) {
        report(start, "the final stage has no HEALTHCHECK");
    } else {
        const last = healthchecks[healthchecks.length - 1];
        const subcommand = last.getSubcommand();
        if (subcommand === null || subcommand.getValue().toUpperCase() !== "CMD") {
            report(last.getRange().start.line, "HEALTHCHECK must run a command (HEALTHCHECK [OPTIONS] CMD ...)");
        }
    }

    const entrypoints = named("ENTRYPOINT");
    if (entrypoints.length === 0) {
        report(start, "the final stage has no ENTRYPOINT");
    } else {
        const last = entrypoints[entrypoints.length - 1];
        if (last.getOpeningBracket() === null || last.getClosingBracket() === null) {
            report(last.getRange().start.line,
                "ENTRYPOINT must be in exec form ([\"java\", ...]): in shell form /bin/sh is PID 1 and SIGTERM never reaches the JVM");
        }
    }
    return problems;
}

const files = process.argv.slice(2);
if (files.length === 0) {
    console.error("usage: lint-dockerfile.js DOCKERFILE...");
    process.exit(2);
}
const problems = files.flatMap(lint);
problems.forEach((problem) => console.log(problem));
process.exit(problems.length === 0 ? 0 : 1);
