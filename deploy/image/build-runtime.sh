#!/usr/bin/env bash
# The container image's operating-system part, built without any base image: a jlinked Java runtime from the
# JDK that runs the build, the shared libraries it links against (copied from this machine, found with ldd),
# the few programs Hadoop runs, a non-root user and the folders a JVM expects. Jib adds this folder to a
# `scratch` image as extra files (pom.xml, profile `image`). Design notes: deploy/README.md.
#
#   deploy/image/build-runtime.sh JAVA_HOME OUTPUT_DIR JOBS_DIR [BASE_IMAGE]
#
# The working directory /workspace holds a copy of jobs/, so that the default problems=jobs/smoke.csv works.
# With a BASE_IMAGE other than `scratch` (e.g. eclipse-temurin:25-jre), the base brings Java and the operating
# system: only /workspace is made. The runtime lies where eclipse-temurin images have theirs, /opt/java/openjdk,
# so the image's PATH and JAVA_HOME hold for both.
set -euo pipefail

usage='usage: build-runtime.sh JAVA_HOME OUTPUT_DIR JOBS_DIR [BASE_IMAGE]'
java_home=${1:?$usage}
out=${2:?$usage}
jobs=${3:?$usage}
base=${4:-scratch}

# The platform modules the application uses (java.se: Spring needs java.desktop's java.beans, Hadoop's export
# java.security.jgss and jdk.security.auth; jdk.unsupported for sun.misc.Unsafe users; jdk.crypto.* for TLS to
# LLM endpoints; jdk.jcmd and jdk.jfr to diagnose a running container). The image test runs the application
# inside the image, so a missing module fails there.
modules=java.se,jdk.unsupported,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.security.auth,jdk.security.jgss
modules+=,jdk.naming.dns,jdk.zipfs,jdk.charsets,jdk.httpserver,jdk.net,jdk.management,jdk.management.agent
modules+=,jdk.jfr,jdk.management.jfr,jdk.jcmd

# Programs Hadoop's local file system runs (the export sets file permissions with `chmod`, reads them with
# `ls -ld`, and asks `id` for a user's groups), copied from this machine.
programs='chmod ls id'

# Native parts of java.desktop that need a display or a sound card: never loaded by a headless server.
skip_libraries='libawt_xawt.so|libsplashscreen.so|libjawt.so|libjsound.so'
uid=10001

rm -rf "$out"
mkdir -p "$out/workspace"
cp -r "$jobs" "$out/workspace/jobs"
if [ "$base" != scratch ]; then
    exit 0
fi
mkdir -p "$out/tmp"
# Jib leaves empty folders out of a layer.
touch "$out/tmp/.keep"

"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --output "$out/opt/java/openjdk"

mkdir -p "$out/usr/bin"
for program in $programs; do
    cp -L "$(command -v "$program")" "$out/usr/bin/$program"
done

# Each shared library outside the runtime that its executables and libraries need, at the same path as here.
# The program interpreter (ld-linux) is copied too: its path is written into every executable.
missing=$(mktemp)
find "$out/opt/java/openjdk" "$out/usr/bin" -type f \( -name '*.so' -o -path '*/bin/*' \) |
    grep -Ev "/($skip_libraries)$" |
    while read -r file; do
        LD_LIBRARY_PATH="$out/opt/java/openjdk/lib:$out/opt/java/openjdk/lib/server" ldd "$file" 2>/dev/null || true
    done |
    awk -v missing="$missing" '
        / => not found/ { print $1 > missing; next }
        / => \// { print $3; next }
        /^[ \t]*\// { print $1 }' |
    grep -v "^$out/" | sort -u |
    while read -r library; do
        mkdir -p "$out$(dirname "$library")"
        cp -L "$library" "$out$library"
    done
if [ -s "$missing" ]; then
    echo "build-runtime.sh: shared libraries not found on this machine: $(sort -u "$missing" | tr '\n' ' ')" >&2
    rm -f "$missing"
    exit 1
fi
rm -f "$missing"

mkdir -p "$out/etc"
cat > "$out/etc/passwd" <<EOF
root:x:0:0:root:/root:/sbin/nologin
rollout:x:$uid:$uid:rollout-batch:/workspace:/sbin/nologin
EOF
cat > "$out/etc/group" <<EOF
root:x:0:
rollout:x:$uid:
EOF
echo 'hosts: files dns' > "$out/etc/nsswitch.conf"
