// ray::Init / ray::Shutdown, RayConfig, RAY_ADDRESS and head_args.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "../../runtime/src/node_config.h"
#include "runtime_fixture.h"

namespace {

int Echo(int x) { return x; }
int Naps(int ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  return ms;
}
RAY_REMOTE(Echo, Naps);

class ScopedEnv {
 public:
  ScopedEnv(const char *name, const char *value) : name_(name) {
    const char *old = std::getenv(name);
    had_old_ = old != nullptr;
    if (had_old_) old_ = old;
    if (value == nullptr) {
      unsetenv(name);
    } else {
      setenv(name, value, 1);
    }
  }
  ~ScopedEnv() {
    if (had_old_) {
      setenv(name_, old_.c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char *name_;
  bool had_old_ = false;
  std::string old_;
};

std::string InitError(ray::RayConfig &config, int argc = 0, char **argv = nullptr) {
  try {
    ray::Init(config, argc, argv);
  } catch (const ray::internal::RayException &e) {
    return e.what();
  }
  return "";
}

using ConfigTest = RuntimeTest;

TEST_F(ConfigTest, InitAndShutdownToggleIsInitialized) {
  ScopedEnv env("RAY_ADDRESS", nullptr);
  EXPECT_FALSE(ray::IsInitialized());
  ray::Init();
  EXPECT_TRUE(ray::IsInitialized());
  ray::Init();  // a second Init is ignored, as in Ray
  EXPECT_TRUE(ray::IsInitialized());
  ray::Shutdown();
  EXPECT_FALSE(ray::IsInitialized());
  ray::Shutdown();  // and so is a second Shutdown
}

TEST_F(ConfigTest, LocalAddressesRunLocally) {
  for (const char *address : {"", "auto", "local"}) {
    ScopedEnv env("RAY_ADDRESS", address);
    ray::RayConfig config;
    EXPECT_EQ(InitError(config), "") << "RAY_ADDRESS=" << address;
    EXPECT_EQ(*ray::Get(ray::Task(Echo).Remote(4)), 4);
    ray::Shutdown();
  }
}

TEST_F(ConfigTest, RemoteAddressFromEnvironmentIsRefusedWithRebuildAdvice) {
  ScopedEnv env("RAY_ADDRESS", "ray://10.1.2.3:10001");
  ray::RayConfig config;
  std::string error = InitError(config);
  EXPECT_NE(error.find("ray://10.1.2.3:10001"), std::string::npos) << error;
  EXPECT_NE(error.find("bundled runtime"), std::string::npos) << error;
  EXPECT_NE(error.find("ray[cpp]"), std::string::npos) << error;
  EXPECT_FALSE(ray::IsInitialized());
}

TEST_F(ConfigTest, RemoteAddressInConfigIsRefused) {
  ScopedEnv env("RAY_ADDRESS", nullptr);
  ray::RayConfig config;
  config.address = "head-node:6379";
  EXPECT_NE(InitError(config).find("head-node:6379"), std::string::npos);
  EXPECT_FALSE(ray::IsInitialized());
}

TEST_F(ConfigTest, ConfigAddressTakesPrecedenceOverEnvironment) {
  ScopedEnv env("RAY_ADDRESS", "head-node:6379");
  ray::RayConfig config;
  config.address = "local";
  EXPECT_EQ(InitError(config), "");
}

TEST_F(ConfigTest, RemoteAddressOnTheCommandLineIsRefused) {
  ScopedEnv env("RAY_ADDRESS", nullptr);
  ray::RayConfig config;
  char program[] = "prog";
  char flag[] = "--ray_address=10.0.0.1:6379";
  char *argv[] = {program, flag, nullptr};
  EXPECT_NE(InitError(config, 2, argv).find("10.0.0.1:6379"), std::string::npos);
}

TEST_F(ConfigTest, UsingTheApiBeforeInitIsAClearError) {
  try {
    ray::Put(1);
    FAIL() << "Put before Init succeeded";
  } catch (const ray::internal::RayException &e) {
    EXPECT_NE(std::string(e.what()).find("ray::Init()"), std::string::npos);
  }
  EXPECT_THROW(ray::Task(Echo).Remote(1), ray::internal::RayException);
}

TEST_F(ConfigTest, NamespaceComesFromTheConfig) {
  ScopedEnv env("RAY_ADDRESS", nullptr);
  ray::RayConfig config;
  config.ray_namespace = "analytics";
  ray::Init(config);
  EXPECT_EQ(ray::GetNamespace(), "analytics");
}

std::string ReadWhole(const std::string &path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// verify reads this file to tell a slow conversion from a program whose sequential
// part bounds its speedup.
TEST_F(ConfigTest, TheTaskProfileCountsAndTimesEveryCompletedCall) {
  std::string path = ::testing::TempDir() + "rayify-task-profile.json";
  std::remove(path.c_str());
  ScopedEnv address("RAY_ADDRESS", nullptr);
  ScopedEnv profile("RAYIFY_TASK_PROFILE", path.c_str());
  ray::Init();
  std::vector<ray::ObjectRef<int>> naps;
  for (int ms : {20, 30, 200}) naps.push_back(ray::Task(Naps).Remote(ms));
  for (auto &nap : naps) ray::Get(nap);
  ray::Shutdown();
  std::string written = ReadWhole(path);
  EXPECT_NE(written.find("\"calls\": 3,"), std::string::npos) << written;
  double total = -1, median = -1;
  ASSERT_EQ(
      std::sscanf(written.c_str(),
                  "{\"calls\": %*d, \"call_seconds\": %lf, \"median_call_ms\": %lf}",
                  &total, &median),
      2)
      << written;
  EXPECT_GE(total, 0.250);
  EXPECT_GE(median, 30.0);
  EXPECT_LT(median, 200.0);  // the middle call, not the longest
  std::remove(path.c_str());
}

TEST(NodeConfigTest, DefaultsToHardwareThreadsAndNoGpus) {
  auto capacity = ray::internal::DefaultCapacity();
  unsigned threads = std::thread::hardware_concurrency();
  EXPECT_DOUBLE_EQ(capacity["CPU"], threads == 0 ? 1.0 : threads);
  EXPECT_DOUBLE_EQ(capacity["GPU"], 0.0);
  EXPECT_GT(capacity["memory"], 0.0);
}

TEST(NodeConfigTest, HeadArgsSetCapacityAsRayStartDoes) {
  ray::internal::Resources capacity = ray::internal::DefaultCapacity();
  ray::internal::ApplyHeadArgs(
      {"--num-cpus=3", "--num-gpus", "2", "--memory=4096",
       "--resources={\"license\": 2, \"disk\":0.5}", "--port=6380"},
      capacity);
  EXPECT_DOUBLE_EQ(capacity["CPU"], 3);
  EXPECT_DOUBLE_EQ(capacity["GPU"], 2);
  EXPECT_DOUBLE_EQ(capacity["memory"], 4096);
  EXPECT_DOUBLE_EQ(capacity["license"], 2);
  EXPECT_DOUBLE_EQ(capacity["disk"], 0.5);
}

TEST(NodeConfigTest, MalformedHeadArgsAreRejected) {
  ray::internal::Resources capacity;
  EXPECT_THROW(ray::internal::ApplyHeadArgs({"--num-cpus=many"}, capacity),
               ray::internal::RayException);
  EXPECT_THROW(ray::internal::ApplyHeadArgs({"--resources={license: 2}"}, capacity),
               ray::internal::RayException);
  EXPECT_THROW(ray::internal::ApplyHeadArgs({"--num-gpus=-1"}, capacity),
               ray::internal::RayException);
}

TEST(NodeConfigTest, HeadArgsFromTheCommandLineAreRead) {
  ScopedEnv env("RAY_ADDRESS", nullptr);
  ray::RayConfig config;
  char program[] = "prog";
  char flag[] = "--ray_head_args=--num-cpus=5 --num-gpus=1";
  char *argv[] = {program, flag, nullptr};
  auto node = ray::internal::ResolveNodeConfig(config, 2, argv);
  EXPECT_DOUBLE_EQ(node.capacity["CPU"], 5);
  EXPECT_DOUBLE_EQ(node.capacity["GPU"], 1);
}

}  // namespace

namespace {

TEST(RuntimeEnvTest, DeserializeKeepsEachFieldsJson) {
  auto env = ray::RuntimeEnv::Deserialize(
      R"({"env_vars": {"A": "1", "B": "x,y"}, "working_dir": "/w", "pip": ["numpy"]})");
  EXPECT_EQ(env.GetJsonStr("env_vars"), R"({"A": "1", "B": "x,y"})");
  EXPECT_EQ(env.GetJsonStr("working_dir"), R"("/w")");
  EXPECT_EQ(env.GetJsonStr("pip"), R"(["numpy"])");
  EXPECT_TRUE(ray::RuntimeEnv::Deserialize("{}").Empty());
}

TEST(RuntimeEnvTest, DeserializeRejectsMalformedJson) {
  EXPECT_THROW(ray::RuntimeEnv::Deserialize("not json"),
               ray::internal::RayRuntimeEnvException);
  EXPECT_THROW(ray::RuntimeEnv::Deserialize(R"({"a": )"),
               ray::internal::RayRuntimeEnvException);
}

}  // namespace
