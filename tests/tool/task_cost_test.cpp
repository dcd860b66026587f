// Task loops whose tasks' work grows with what each iteration hands them submit the
// costliest first (analysis/TaskCost.h): the key is read from the arguments, and
// loops whose tasks all cost the same, or whose arguments the driver cannot read
// again without effect, keep the loop's order.
#include "converter_test_support.h"

namespace rayify {
namespace {

const char kPrelude[] = R"(#include <cmath>
#include <cstdio>
#include <vector>
struct Config { int epochs; int hidden; };
double train(const Config &c) {
  const int h = c.hidden;
  double s = 0;
  for (int e = 0; e < c.epochs; ++e)
    for (int j = 0; j < h; ++j) s += std::sin(e * 0.5 + j);
  return s;
}
double work(int n) { double s = 0; for (int k = 0; k < n; ++k) s += std::sin(k); return s; }
double halve(int n) { n = n / 2; double s = 0; for (int k = 0; k < n; ++k) s += std::sin(k); return s; }
double total(const std::vector<double> &v) {
  double s = 0;
  for (double x : v)
    for (int r = 0; r < 50; ++r) s += std::sin(x + r);
  return s;
}
int size_of(int i) { return 1000 * (i + 1); }
)";

// A program whose loop marked LOOP stores `call` into out[i] for 8 iterations.
std::string Program(const std::string &call) {
  return std::string(kPrelude) +
         "int main() {\n"
         "  std::vector<Config> grid;\n"
         "  for (int e : {30, 60}) for (int h : {8, 24, 4, 2}) grid.push_back(Config{e * "
         "1000, h});\n"
         "  std::vector<int> sizes = {100000, 900000, 300000, 50000, 1, 2, 3, 4};\n"
         "  std::vector<std::vector<double>> rows(8, std::vector<double>(100000, 1.0));\n"
         "  std::vector<double> out(8);\n"
         "  for (std::size_t i = 0; i < out.size(); ++i) // LOOP\n"
         "    out[i] = " +
         call +
         ";\n"
         "  for (double x : out) std::printf(\"%f\\n\", x);\n"
         "}\n";
}

struct KeyCase {
  const char *name;
  const char *call;
  const char *key;  // empty: submitted in the loop's order
};

void PrintTo(const KeyCase &key, std::ostream *out) { *out << key.name; }

class TaskCostTest : public ::testing::TestWithParam<KeyCase> {};

TEST_P(TaskCostTest, TasksGoCostliestFirstByWhatTheyAreHanded) {
  Finding decision = testing::DecisionFor(Program(GetParam().call));
  ASSERT_TRUE(decision.IsConversion()) << decision.code << ": " << decision.message;
  EXPECT_EQ(decision.conversion->costliest_first, GetParam().key);
}

INSTANTIATE_TEST_SUITE_P(
    Keys, TaskCostTest,
    ::testing::Values(
        KeyCase{"FieldsOfAStructThroughAConstantLocal", "train(grid[i])", "c.epochs * h"},
        KeyCase{"AnIntegerElement", "work(sizes[i])", "n"},
        KeyCase{"ArithmeticOnTheCounter", "work(static_cast<int>(i) * 1000000)", ""},
        KeyCase{"TheSizeOfAContainer", "total(rows[i])", "v.size()"},
        KeyCase{"AConstantArgument", "work(100000)", ""},
        KeyCase{"AnArgumentMadeByACall", "work(size_of(i))", ""},
        KeyCase{"AParameterTheCalleeChanges", "halve(sizes[i])", ""}),
    testing::CaseName());

// The converted loop: the header runs once ahead to list the iterations and their
// costs, the tasks go out costliest first, and the results are stored in the loop's
// order.
TEST(TaskCostEmit, SubmitsByCostAndStoresInTheLoopsOrder) {
  FileConversion result = testing::ConvertSnippet(Program("work(sizes[i])"));
  const std::string &text = result.converted;
  size_t costs = text.find("out_costs.emplace_back(static_cast<double>((sizes[i])), ");
  size_t sort = text.find("std::stable_sort(out_costs.begin(), out_costs.end()");
  size_t submit = text.find("for (std::size_t i : out_order)");
  size_t slots =
      text.find("out_refs_slots[out_costs[out_refs_slot].second] = out_refs_slot;");
  size_t store = text.find("out[out_index] = std::move(*ray::Get(out_ref));");
  ASSERT_NE(costs, std::string::npos) << text;
  EXPECT_LT(costs, sort);
  EXPECT_LT(sort, submit);
  EXPECT_LT(submit, slots);
  EXPECT_LT(slots, store);
  EXPECT_NE(text.find("#include <algorithm>"), std::string::npos);
}

}  // namespace
}  // namespace rayify
