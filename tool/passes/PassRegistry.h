// The passes `rayify convert` runs, by name and in order. Adding a pass is adding its
// file and one line to Builtin().
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rayify {

class Pass;

class PassRegistry {
 public:
  using Factory = std::function<std::unique_ptr<Pass>()>;

  /// Appends a pass; names are unique (std::invalid_argument otherwise).
  void Add(std::string name, Factory factory);
  std::vector<std::string> Names() const;
  /// One fresh instance of every pass, in order, with its name.
  std::vector<std::pair<std::string, std::unique_ptr<Pass>>> Create() const;

  /// The passes rayify ships.
  static const PassRegistry &Builtin();
  /// The lint rules, by id (resources/rules/).
  static const PassRegistry &Lint();

 private:
  std::vector<std::pair<std::string, Factory>> entries_;
};

}  // namespace rayify
