// A small Ray C++ program that runs unchanged on the bundled runtime and on Ray:
// parallel tasks over a shared object, a stateful actor, and ray::Wait.
#include <ray/api.h>

#include <cstdio>
#include <numeric>
#include <vector>

// Sum of table[i] * weight over one slice of the table.
double WeightedSlice(const std::vector<double> &table, int begin, int end,
                     double weight) {
  double sum = 0.0;
  for (int i = begin; i < end; ++i) sum += table[i] * weight;
  return sum;
}

class RunningTotal {
 public:
  static RunningTotal *Create(std::string label) {
    return new RunningTotal(std::move(label));
  }
  explicit RunningTotal(std::string label) : label_(std::move(label)) {}
  double Add(double value) { return total_ += value; }
  std::string Describe() const {
    char line[128];
    std::snprintf(line, sizeof(line), "%s: %.3f", label_.c_str(), total_);
    return line;
  }

 private:
  std::string label_;
  double total_ = 0.0;
};

RAY_REMOTE(WeightedSlice, RunningTotal::Create, &RunningTotal::Add,
           &RunningTotal::Describe);

int Run(int argc, char **argv) {
  ray::RayConfig config;
  ray::Init(config, argc, argv);

  std::vector<double> table(1 << 16);
  std::iota(table.begin(), table.end(), 0.0);
  // One copy in the object store, shared by every task.
  auto table_ref = ray::Put(table);

  const int slices = 8;
  const int slice = static_cast<int>(table.size()) / slices;
  std::vector<ray::ObjectRef<double>> partial_refs;
  for (int s = 0; s < slices; ++s) {
    partial_refs.push_back(
        ray::Task(WeightedSlice).Remote(table_ref, s * slice, (s + 1) * slice, 0.5));
  }

  auto first = ray::Wait(partial_refs, 1, -1);
  std::printf("first slice ready: %zu of %d\n", first.ready.size(), slices);

  auto total = ray::Actor(RunningTotal::Create).Remote(std::string("weighted sum"));
  for (auto &partial : ray::Get(partial_refs)) {
    total.Task(&RunningTotal::Add).Remote(*partial);
  }
  std::printf("%s\n", ray::Get(total.Task(&RunningTotal::Describe).Remote())->c_str());

  ray::Shutdown();
  return 0;
}

int main(int argc, char **argv) {
  try {
    return Run(argc, argv);
  } catch (const ray::internal::RayException &e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    ray::Shutdown();
    return 1;
  }
}
