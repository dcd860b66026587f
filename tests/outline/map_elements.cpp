// Loops over the elements of maps, std::pair<const K, V>, whose bodies are outlined:
// each task is sent its element as std::pair<K, V> (msgpack cannot decode into a const
// key). A map keyed by name with one series each, summed in the driver's order; an
// unordered map whose results go into a vector by position; a loop binding names to
// each element (`const auto &[name, xs]`), whose task takes each name; loops
// rewriting each mapped value through its reference or a bound name (since
// 2026-12-07). Until
// 2026-12-06 the task took the element's own type, the converted file did not
// compile, and the file was left unconverted whole; the loop binding names stayed
// sequential.
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

static double energy(const std::vector<double> &xs, int terms) {
  double e = 0;
  for (int t = 0; t < terms; ++t)
    for (double x : xs) e += std::sin(x * (t + 1)) / (t + 1);
  return e;
}

int main() {
  std::map<std::string, std::vector<double>> series;
  for (int s = 0; s < 10; ++s) {
    std::vector<double> xs(200);
    for (int k = 0; k < 200; ++k) xs[k] = 0.01 * k + s;
    series["series-" + std::to_string(s)] = xs;
  }
  double total = 0;
  for (const auto &named : series) {
    double e = energy(named.second, 3000);
    total += e * static_cast<double>(named.first.size());
  }
  std::printf("total %.9f\n", total);

  // Names bound to each element: the task takes each as a parameter of its own.
  double weighted = 0;
  for (const auto &[name, xs] : series) {
    double e = energy(xs, 2000);
    weighted += e / static_cast<double>(name.size());
  }
  std::printf("weighted %.9f\n", weighted);

  std::unordered_map<int, std::vector<double>> by_id;
  for (int id = 0; id < 8; ++id) by_id[id] = std::vector<double>(150, 0.5 + id);
  std::vector<double> scores(8);
  for (const auto &entry : by_id) {
    double e = energy(entry.second, 2500);
    scores[static_cast<std::size_t>(entry.first)] = e - entry.first;
  }
  for (std::size_t i = 0; i < scores.size(); ++i) std::printf("%zu %.9f\n", i, scores[i]);

  // Each mapped value rewritten through the loop's reference: the task sends its
  // element back, and the driver, walking the map again, stores the mapped value.
  for (auto &entry : by_id) {
    entry.second[0] = energy(entry.second, 1500);
    entry.second.push_back(static_cast<double>(entry.first));
  }
  for (int id = 0; id < 8; ++id)
    std::printf("%d %.9f %zu\n", id, by_id[id][0], by_id[id].size());

  // The same through names bound to each element: the task takes each name and
  // returns the mapped value; the driver stores it back through the same name.
  for (auto &[name, xs] : series) {
    xs[1] = energy(xs, 1200) + static_cast<double>(name.size());
  }
  for (const auto &[name, xs] : series) std::printf("%s %.9f\n", name.c_str(), xs[1]);
  return 0;
}
