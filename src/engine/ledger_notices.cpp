#include "engine/ledger_notices.h"

#include <algorithm>
#include <map>
#include <utility>

namespace pingan {

namespace {

// Notices written per store transaction.
constexpr std::size_t kRecordBatch = 500;
constexpr int kMaxListed = 1000;
constexpr const char* kRemindLabel = "催办";

}  // namespace

std::vector<LedgerNotice> notices_reached(const LedgerItem& item, const LedgerDue& due) {
  std::vector<LedgerNotice> out;
  if (!due.deadline) return out;
  if (due.state != LedgerDueState::kRemind && due.state != LedgerDueState::kOverdue) return out;
  auto notice = [&](LedgerNoticeKind kind, int level, Timestamp at) {
    LedgerNotice n;
    n.item_id = item.id;
    n.type_code = item.type_code;
    n.unit_code = item.unit_code;
    n.deadline = due.deadline->code;
    n.started_at = due.started_at;
    n.kind = kind;
    n.level = level;
    n.due_at = at;
    out.push_back(std::move(n));
  };
  if (due.remind_at) notice(LedgerNoticeKind::kRemind, 0, *due.remind_at);
  const auto& escalations = due.deadline->escalations;
  for (int k = 1; k <= due.escalation_level && k <= static_cast<int>(escalations.size()); ++k)
    notice(LedgerNoticeKind::kEscalate, k,
           due.due_at + std::max<std::int64_t>(escalations[static_cast<std::size_t>(k - 1)].after_s, 1));
  return out;
}

Result<std::vector<LedgerNotice>> LedgerNotices::run(Timestamp now) {
  std::vector<LedgerNotice> recorded;
  for (const LedgerDefinition& type : ledgers_.types()) {
    if (type.deadlines().empty()) continue;
    std::vector<LedgerNotice> reached;
    PINGAN_RETURN_IF_ERROR(ledgers_.scan(type.code(), [&](const LedgerItem& item) {
      const LedgerState* state = type.state(item.state);
      if (state && state->final) return;
      for (const LedgerDue& due : ledger_dues(type, item, now))
        for (LedgerNotice& n : notices_reached(item, due)) {
          n.noticed_at = now;
          reached.push_back(std::move(n));
        }
    }));
    // After the scan, whose read may hold a connection of the pool.
    for (std::size_t from = 0; from < reached.size(); from += kRecordBatch) {
      const std::size_t to = std::min(reached.size(), from + kRecordBatch);
      std::vector<LedgerNotice> batch(reached.begin() + static_cast<std::ptrdiff_t>(from),
                                      reached.begin() + static_cast<std::ptrdiff_t>(to));
      PINGAN_ASSIGN_OR_RETURN(std::vector<LedgerNotice> added, store_.record(batch));
      for (LedgerNotice& n : added) recorded.push_back(std::move(n));
    }
  }
  return recorded;
}

Result<std::vector<LedgerNotice>> LedgerNotices::list(const LedgerNoticeFilter& filter, Timestamp now) {
  if (filter.limit < 1 || filter.limit > kMaxListed)
    return Error::invalid("limit", "must be from 1 to 1000");
  // The newest notices at most kMaxListed, then the open ones among them.
  LedgerNoticeFilter wide = filter;
  wide.limit = kMaxListed;
  PINGAN_ASSIGN_OR_RETURN(std::vector<LedgerNotice> notices, store_.list(wide));
  // Per item: the (deadline, start) of each run still running at `now`.
  std::map<std::int64_t, std::vector<std::pair<std::string, Timestamp>>> running;
  std::vector<LedgerNotice> open;
  for (LedgerNotice& n : notices) {
    auto it = running.find(n.item_id);
    if (it == running.end()) {
      std::vector<std::pair<std::string, Timestamp>> runs;
      auto dues = ledgers_.dues(n.item_id, UnitScope::everything(), now);
      if (!dues.ok() && dues.error().code != ErrorCode::kNotFound) return dues.error();
      if (dues.ok())
        for (const LedgerDue& d : *dues)
          if (d.deadline && (d.state == LedgerDueState::kRemind || d.state == LedgerDueState::kOverdue ||
                             d.state == LedgerDueState::kRunning))
            runs.emplace_back(d.deadline->code, d.started_at);
      it = running.emplace(n.item_id, std::move(runs)).first;
    }
    const bool still = std::any_of(it->second.begin(), it->second.end(), [&](const auto& r) {
      return r.first == n.deadline && r.second == n.started_at;
    });
    if (!still) continue;
    open.push_back(std::move(n));
    if (static_cast<int>(open.size()) == filter.limit) break;
  }
  return open;
}

const LedgerDeadline* LedgerNotices::deadline_of(const LedgerNotice& notice) const {
  const LedgerDefinition* type = ledgers_.catalogue().find(notice.type_code);
  if (!type) return nullptr;
  for (const LedgerDeadline& d : type->deadlines())
    if (d.code == notice.deadline) return &d;
  return nullptr;
}

std::string LedgerNotices::deadline_label(const LedgerNotice& notice) const {
  const LedgerDeadline* d = deadline_of(notice);
  return d ? d->label : std::string();
}

std::string LedgerNotices::level_label(const LedgerNotice& notice) const {
  if (notice.kind == LedgerNoticeKind::kRemind) return kRemindLabel;
  const LedgerDeadline* d = deadline_of(notice);
  if (!d || notice.level < 1 || notice.level > static_cast<int>(d->escalations.size())) return {};
  return d->escalations[static_cast<std::size_t>(notice.level - 1)].label;
}

}  // namespace pingan
