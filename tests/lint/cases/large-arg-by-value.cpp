// large-arg-by-value: the same container or large object shipped on every iteration.
#include <ray/api.h>

#include <string>
#include <vector>

struct Table {
  double cells[512];  // 4 KiB
  MSGPACK_DEFINE(cells);
};

int total(const std::vector<int> &v, int k) {
  int s = 0;
  for (int x : v) s += x * k;
  return s;
}
int lookup(const Table &t, int k) {
  int s = 0;
  for (int i = 0; i < 512; ++i) s += static_cast<int>(t.cells[i]) * k;
  return s;
}
int small(int x, int k) {
  for (int i = 0; i < k; ++i) x += i;
  return x;
}
RAY_REMOTE(total, lookup, small);

int main(int argc, char **argv) {
  ray::Init();
  std::vector<int> data(100000, 1);
  Table table{};
  std::vector<ray::ObjectRef<int>> refs;
  for (int k = 0; k < 8; ++k) refs.push_back(ray::Task(total).Remote(data, k));  // expect: large-arg-by-value, moved-object-ref
  for (int k = 0; k < 8; ++k) refs.push_back(ray::Task(lookup).Remote(table, k));  // expect: large-arg-by-value, moved-object-ref

  // Near misses: put once; a value that changes every iteration; a small scalar.
  auto data_ref = ray::Put(data);
  for (int k = 0; k < 8; ++k) refs.push_back(ray::Task(total).Remote(data_ref, k));  // expect: moved-object-ref
  std::vector<std::vector<int>> parts(8, std::vector<int>(10, 1));
  for (int k = 0; k < 8; ++k) refs.push_back(ray::Task(total).Remote(parts[k], k));  // expect: moved-object-ref
  for (int k = 0; k < 8; ++k) {
    data[k] = k;
    refs.push_back(ray::Task(total).Remote(data, k));  // expect: moved-object-ref
  }
  int base = 3;
  for (int k = 0; k < 8; ++k) refs.push_back(ray::Task(small).Remote(base, k));  // expect: moved-object-ref
  long sum = 0;
  for (auto &value : ray::Get(refs)) sum += *value;
  ray::Shutdown();
  return static_cast<int>(sum) & 1;
}
