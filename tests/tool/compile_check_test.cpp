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

}  // namespace
}  // namespace rayify
