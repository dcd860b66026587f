#!/usr/bin/env bash
# Installs the Debian 12 packages rayify needs, and only those that are missing, so a
# second run costs a few dpkg queries. Run as root (or with sudo available).
set -euo pipefail

packages=(
  cmake ninja-build g++ python3 python3-venv git
  llvm-19-dev libclang-19-dev libclang-cpp19-dev clang-19 libclang-rt-19-dev
  libcli11-dev libyaml-cpp-dev libmsgpack-cxx-dev libboost-dev
  libgtest-dev libgmock-dev libtbb-dev
  iproute2  # ip netns: the multi-node Ray test runs its nodes in namespaces
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "setup: installing ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
