// Configuration files (resources/configuration.md): the built-in defaults in
// rules/default.yaml, then the `.rayify.yaml` nearest each source file (merged with
// its parents' when it says `inherit: true`), or one file given with --config.
// Mistakes are errors naming the file, line and column.
#pragma once

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/Settings.h"

namespace rayify {

/// A configuration file that cannot be used; what() is "FILE:LINE:COL: problem".
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// default.yaml of the rules directory (driver/Installation.h).
std::string DefaultConfigFile();

/// Applies one configuration file's text on top of `settings`. `path` names it in
/// errors. Returns whether the file asked to inherit its parent directory's.
bool ApplyConfig(const std::string &text, const std::string &path, Settings &settings);

/// The effective settings per source file, loaded once per directory.
class ConfigResolver {
 public:
  /// `defaults_file`: rules/default.yaml; `explicit_file`: --config, which replaces
  /// discovery when set. Throws ConfigError.
  ConfigResolver(std::string defaults_file, std::string explicit_file);

  /// The settings for `source` (a file): throws ConfigError for a bad file on the way.
  const Settings &For(const std::string &source);

  /// The files that made `source`'s settings, first applied first.
  std::vector<std::string> FilesFor(const std::string &source);

 private:
  Settings ForDirectory(const std::string &dir);

  Settings defaults_;
  std::string explicit_file_;
  std::map<std::string, Settings> by_directory_;
};

/// `settings` as a configuration file would say it (for --dump-config).
std::string DumpConfig(const Settings &settings);

/// The configuration file name looked for in each directory.
extern const char kConfigFileName[];

}  // namespace rayify
