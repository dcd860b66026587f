#include "emit/UnifiedDiff.h"

#include <algorithm>
#include <vector>

namespace rayify {
namespace {

std::vector<std::string> SplitLines(const std::string &text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

enum class Op { kKeep, kDelete, kInsert };

// Myers' O((N+M)D) shortest edit script; conversions change few lines of large files.
std::vector<Op> EditScript(const std::vector<std::string> &a,
                           const std::vector<std::string> &b) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  const int max = n + m;
  std::vector<int> v(2 * max + 2, 0);
  std::vector<std::vector<int>> trace;
  int found_d = 0;
  for (int d = 0; d <= max; ++d) {
    trace.push_back(v);
    bool done = false;
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && v[k - 1 + max] < v[k + 1 + max]))
                  ? v[k + 1 + max]
                  : v[k - 1 + max] + 1;
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[k + max] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
    if (done) {
      found_d = d;
      trace.push_back(v);
      break;
    }
  }
  std::vector<Op> ops;
  int x = n, y = m;
  for (int d = found_d; d > 0; --d) {
    const std::vector<int> &previous = trace[d];
    int k = x - y;
    int prev_k = (k == -d || (k != d && previous[k - 1 + max] < previous[k + 1 + max]))
                     ? k + 1
                     : k - 1;
    int prev_x = previous[prev_k + max];
    int prev_y = prev_x - prev_k;
    while (x > prev_x && y > prev_y) {
      ops.push_back(Op::kKeep);
      --x, --y;
    }
    ops.push_back(x == prev_x ? Op::kInsert : Op::kDelete);
    x = prev_x, y = prev_y;
  }
  while (x > 0 && y > 0) {
    ops.push_back(Op::kKeep);
    --x, --y;
  }
  std::reverse(ops.begin(), ops.end());
  return ops;
}

}  // namespace

std::string UnifiedDiff(const std::string &before, const std::string &after,
                        const std::string &before_name, const std::string &after_name,
                        int context) {
  if (before == after) return "";
  auto a = SplitLines(before);
  auto b = SplitLines(after);
  std::vector<Op> ops = EditScript(a, b);
  std::string out = "--- " + before_name + "\n+++ " + after_name + "\n";
  size_t i = 0;
  int line_a = 0, line_b = 0;  // lines consumed before ops[i]
  while (i < ops.size()) {
    if (ops[i] == Op::kKeep) {
      ++i, ++line_a, ++line_b;
      continue;
    }
    // A hunk: from `context` kept lines before this change to `context` after the
    // last change that lies within 2 * context kept lines of the previous one.
    size_t start = i;
    int lead = 0;
    while (start > 0 && ops[start - 1] == Op::kKeep && lead < context) --start, ++lead;
    size_t end = i;
    while (true) {
      while (end < ops.size() && ops[end] != Op::kKeep) ++end;
      size_t next = end;
      while (next < ops.size() && ops[next] == Op::kKeep) ++next;
      if (next < ops.size() && next - end <= static_cast<size_t>(2 * context)) {
        end = next;
        continue;
      }
      end = std::min(ops.size(), end + static_cast<size_t>(context));
      break;
    }
    int a_start = line_a - lead, b_start = line_b - lead;
    int a_count = 0, b_count = 0;
    std::string body;
    int ai = a_start, bi = b_start;
    for (size_t j = start; j < end; ++j) {
      if (ops[j] == Op::kKeep) {
        body += " " + a[ai++] + "\n";
        ++bi, ++a_count, ++b_count;
      } else if (ops[j] == Op::kDelete) {
        body += "-" + a[ai++] + "\n";
        ++a_count;
      } else {
        body += "+" + b[bi++] + "\n";
        ++b_count;
      }
    }
    out += "@@ -" + std::to_string(a_count ? a_start + 1 : a_start) + "," +
           std::to_string(a_count) + " +" +
           std::to_string(b_count ? b_start + 1 : b_start) + "," +
           std::to_string(b_count) + " @@\n" + body;
    line_a = ai, line_b = bi;
    i = end;
  }
  return out;
}

}  // namespace rayify
