#!/usr/bin/env bash
# Builds a program written against Ray's C++ API the way Ray runs it: the driver
# executable DIR/NAME and, beside it (the default code_search_path), the library
# DIR/NAME.so the workers load. C++17 and the pre-C++11 std::string ABI of Ray's wheel;
# no FMA contraction, so floating point matches the original's build.
# Usage: build_for_ray.sh RAY_CPP_DIR SOURCE DIR NAME
set -euo pipefail
ray_cpp=$1
source=$2
dir=$3
name=$4
flags=(-std=c++17 -O2 -ffp-contract=off -D_GLIBCXX_USE_CXX11_ABI=0 -isystem "$ray_cpp/include")
link=(-L"$ray_cpp/lib" -lray_api -Wl,-rpath,"$ray_cpp/lib" -pthread)
mkdir -p "$dir"
c++ "${flags[@]}" -o "$dir/$name" "$source" "${link[@]}"
c++ "${flags[@]}" -fPIC -shared -o "$dir/$name.so" "$source" "${link[@]}"
