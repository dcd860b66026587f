// The compile check under every conversion: a shared precompiled <ray/api.h> may only
// make it faster, never let through what the full compilation rejects.
#include <gtest/gtest.h>

#include "driver/Installation.h"
#include "frontend/CompileCheck.h"
#include "temp_dir.h"

namespace rayify {
namespace {

std::string ErrorOf(CheckSession &session, const TempDir &dir, const std::string &name,
                    const std::string &text) {
  std::string path = dir.Write(name, "int placeholder;\n");
  return session.FirstCompileError({path, text, {}});
}

const char kUsesRay[] = R"(#include <ray/api.h>
int Twice(int x) { return 2 * x; }
RAY_REMOTE(Twice);
int main() { return 0; }
)";

TEST(CompileCheckTest, ConvertedTextThatCompilesPasses) {
  TempDir dir;
  CheckSession session(RuntimeIncludeDir(), "");
  EXPECT_EQ(ErrorOf(session, dir, "a.cpp", kUsesRay), "");
  EXPECT_EQ(ErrorOf(session, dir, "b.cpp", std::string("#define B_GUARD_H\n") + kUsesRay),
            "");
}

TEST(CompileCheckTest, AnErrorIsReportedWithItsLine) {
  TempDir dir;
  CheckSession session(RuntimeIncludeDir(), "");
  std::string error = ErrorOf(session, dir, "a.cpp",
                              std::string(kUsesRay) + "int broken = undeclared;\n");
  EXPECT_NE(error.find("5:"), std::string::npos) << error;
  EXPECT_NE(error.find("undeclared"), std::string::npos) << error;
}

TEST(CompileCheckTest, AMacroDefinedBeforeTheRayIncludeIsCompiledInFull) {
  // With the Ray header precompiled, `Remote` would be defined only after it was read,
  // and this would pass; compiled as written, the header breaks.
  TempDir dir;
  CheckSession session(RuntimeIncludeDir(), "");
  ASSERT_EQ(ErrorOf(session, dir, "warm.cpp", kUsesRay), "");
  std::string error =
      ErrorOf(session, dir, "a.cpp", std::string("#define Remote 0\n") + kUsesRay);
  EXPECT_NE(error, "");
}

// Ray's ObjectRef move constructor lets go of a ref's last reference before taking it
// again, and Ray then aborts the driver when the task's large result comes back: a
// stored submission must be a copy.
TEST(CompileCheckTest, ConvertedTextThatMovesAnObjectRefFails) {
  TempDir dir;
  CheckSession session(RuntimeIncludeDir(), "");
  const std::string head = R"(#include <ray/api.h>
#include <utility>
#include <vector>
int Twice(int x) { return 2 * x; }
RAY_REMOTE(Twice);
template <typename T>
static const ray::ObjectRef<T> &rayify_copy_of(const ray::ObjectRef<T> &ref) { return ref; }
int main() {
  std::vector<ray::ObjectRef<int>> refs;
  std::vector<std::pair<int, ray::ObjectRef<int>>> indexed;
)";
  for (const char *moved : {"refs.push_back(ray::Task(Twice).Remote(1));",
                            "indexed.emplace_back(0, ray::Task(Twice).Remote(1));",
                            "auto ref = ray::Task(Twice).Remote(1);\n"
                            "refs.push_back(std::move(ref));"}) {
    EXPECT_NE(ErrorOf(session, dir, "a.cpp", head + moved + "\n}\n"), "") << moved;
  }
  EXPECT_EQ(
      ErrorOf(session, dir, "b.cpp",
              head +
                  "refs.push_back(rayify_copy_of(ray::Task(Twice).Remote(1)));\n"
                  "indexed.emplace_back(0, rayify_copy_of(ray::Task(Twice).Remote(1)));\n"
                  "auto ref = ray::Task(Twice).Remote(1);\n"
                  "refs.push_back(ref);\n"
                  "return *ray::Get(refs[0]) + *ray::Get(indexed[0].second);\n}\n"),
      "");
}

}  // namespace
}  // namespace rayify
