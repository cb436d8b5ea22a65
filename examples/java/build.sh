#!/bin/sh
# Compiles Hello.java against aws-lambda-java-core and writes hello.jar beside this script.
# Uses the aws-lambda-java-core jar named by AWS_LAMBDA_JAVA_CORE_JAR, else the one in ~/.m2 (Thunk's own build puts
# it there); fetches it with the Maven Wrapper if it is missing. Needs a JDK 21+: JAVA_HOME, else javac on PATH.
set -eu

here="$(cd "$(dirname "$0")" && pwd)"
version=1.4.0
repo="${MAVEN_REPO:-$HOME/.m2/repository}/com/amazonaws/aws-lambda-java-core"
core="${AWS_LAMBDA_JAVA_CORE_JAR:-$(ls "$repo"/*/aws-lambda-java-core-*.jar 2>/dev/null | sort -V | tail -n 1 || true)}"
if [ -z "$core" ]; then
  echo "build.sh: fetching aws-lambda-java-core $version" >&2
  "$here/../../mvnw" -q dependency:get -Dartifact="com.amazonaws:aws-lambda-java-core:$version" >&2
  core="$repo/$version/aws-lambda-java-core-$version.jar"
fi

if [ -n "${JAVA_HOME:-}" ]; then bin="$JAVA_HOME/bin/"; else bin=""; fi
classes="$here/build"
rm -rf "$classes" && mkdir -p "$classes"
"${bin}javac" --release 21 -cp "$core" -d "$classes" "$here/Hello.java"
"${bin}jar" --create --file "$here/hello.jar" -C "$classes" .
rm -rf "$classes"
echo "$here/hello.jar"
