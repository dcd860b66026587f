#include "model/Summaries.h"

#include <deque>

namespace rayify {
namespace {

void SetOnce(std::string &slot, const std::string &text) {
  if (slot.empty()) slot = text;
}

}  // namespace

void EffectPhrases::MergePhrases(const EffectPhrases &other) {
  SetOnce(io, other.io);
  SetOnce(global_write, other.global_write);
  SetOnce(not_visible, other.not_visible);
  SetOnce(unknown_call, other.unknown_call);
  SetOnce(may_throw, other.may_throw);
  SetOnce(exits, other.exits);
  has_loop = has_loop || other.has_loop;
  writes_object = writes_object || other.writes_object;
  untracked_write = untracked_write || other.untracked_write;
}

void FunctionEffectSummary::Merge(const FunctionEffectSummary &other) {
  MergePhrases(other);
  globals_read.insert(other.globals_read.begin(), other.globals_read.end());
  globals_read_once.insert(other.globals_read_once.begin(),
                           other.globals_read_once.end());
  globals_written.insert(other.globals_written.begin(), other.globals_written.end());
  reads_through_global = reads_through_global || other.reads_through_global;
}

void ProjectSummaries::Add(const FunctionSummary &summary) {
  if (!summaries_.emplace(summary.usr, summary).second) {
    defined_twice_.insert(summary.usr);
  }
}

void ProjectSummaries::AddChangedGlobals(const std::vector<std::string> &usrs) {
  changed_globals_.insert(usrs.begin(), usrs.end());
}

// Each summary takes the effects of every summary it reaches, breadth first over the
// unlinked summaries, so the order of the walk cannot matter and cycles end. A callee
// that lives in another function's file reaches callees of its own: a caller's
// object is not its callee's, so `writes_object` is not passed on (each file noted
// the writes of the objects it passes, as it does for the bodies it sees).
void ProjectSummaries::Link() {
  const std::map<std::string, FunctionSummary> unlinked = summaries_;
  for (auto &[usr, summary] : summaries_) {
    std::set<std::string> seen = {usr};
    std::deque<std::pair<std::string, std::string>> pending(summary.calls_unseen.begin(),
                                                            summary.calls_unseen.end());
    while (!pending.empty()) {
      auto [callee, name] = pending.front();
      pending.pop_front();
      if (!seen.insert(callee).second) continue;
      auto found = unlinked.find(callee);
      if (found == unlinked.end() || defined_twice_.count(callee) != 0) {
        SetOnce(summary.effects.not_visible,
                "calls " + name +
                    (found == unlinked.end()
                         ? ", whose body is in no file of the project"
                         : ", which more than one file of the project defines"));
        continue;
      }
      FunctionEffectSummary reached = found->second.effects;
      reached.writes_object = false;
      summary.effects.Merge(reached);
      pending.insert(pending.end(), found->second.calls_unseen.begin(),
                     found->second.calls_unseen.end());
    }
  }
}

const FunctionSummary *ProjectSummaries::Find(const std::string &usr) const {
  if (defined_twice_.count(usr) != 0) return nullptr;
  auto found = summaries_.find(usr);
  return found == summaries_.end() ? nullptr : &found->second;
}

bool ProjectSummaries::DefinedTwice(const std::string &usr) const {
  return defined_twice_.count(usr) != 0;
}

bool ProjectSummaries::Changes(const std::string &usr) const {
  return changed_globals_.count(usr) != 0;
}

}  // namespace rayify
