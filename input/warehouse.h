// A warehouse that keeps stock levels per item and a log of every movement; the
// audit replays the log to check that the stock levels still add up.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

class Warehouse {
 public:
  Warehouse(std::string site, int shelves) : site_(std::move(site)), shelves_(shelves) {}

  void restock(const std::string &item, int quantity) {
    stock_[item] += quantity;
    log_.push_back(quantity);
  }

  // Ships what is there; returns false, and ships nothing, when stock is short.
  bool ship(const std::string &item, int quantity) {
    auto found = stock_.find(item);
    if (found == stock_.end() || found->second < quantity) return false;
    found->second -= quantity;
    log_.push_back(-quantity);
    return true;
  }

  int units() const {
    int total = 0;
    for (const auto &entry : stock_) total += entry.second;
    return total;
  }

  // A checksum of the movement log, replayed `rounds` times: expensive on purpose.
  uint64_t audit(int rounds) const {
    uint64_t digest = 1469598103934665603ULL ^ static_cast<uint64_t>(shelves_);
    for (int r = 0; r < rounds; ++r) {
      for (int movement : log_) {
        digest ^= static_cast<uint64_t>(movement + r);
        digest *= 1099511628211ULL;
      }
    }
    return digest;
  }

  std::string site() const { return site_; }

 private:
  std::string site_;
  int shelves_;
  std::map<std::string, int> stock_;
  std::vector<int> log_;
};
