#include "store/personal_fields.h"

#include <fmt/format.h>

#include "core/personal_masks.h"

namespace pingan::stored {
namespace {

Status seal_one(const crypto::FieldCipher& cipher, const std::string& plain, std::string_view context,
                std::string& out) {
  if (plain.empty()) return {};
  PINGAN_ASSIGN_OR_RETURN(out, cipher.seal(plain, context));
  return {};
}

Status open_one(const crypto::FieldCipher* cipher, IncidentId id, std::string_view context, std::string& field) {
  if (!crypto::is_sealed(field)) return {};
  if (!cipher)
    return Error::unavailable(fmt::format("incident {}: {} is encrypted and the store was opened without a "
                                          "key ring (--key-file or PINGAN_DATA_KEYS)",
                                          id, context));
  auto plain = cipher->open(field, context);
  if (!plain.ok())
    return Error::internal(fmt::format("incident {}: {}", id, plain.error().message));
  field = std::move(plain).value();
  return {};
}

}  // namespace

Result<StoredPersonal> PersonalFields::seal(const Incident& inc) const {
  StoredPersonal out;
  bool any = !inc.reporter_phone.empty() || !inc.reporter_name.empty() || !inc.reporter_id_number.empty();
  if (!any) return out;
  if (!cipher_) {
    out.phone = inc.reporter_phone;
    out.name = inc.reporter_name;
    out.id_number = inc.reporter_id_number;
    out.key = "";
    return out;
  }
  PINGAN_RETURN_IF_ERROR(seal_one(*cipher_, inc.reporter_phone, kPhoneContext, out.phone));
  PINGAN_RETURN_IF_ERROR(seal_one(*cipher_, inc.reporter_name, kNameContext, out.name));
  PINGAN_RETURN_IF_ERROR(seal_one(*cipher_, inc.reporter_id_number, kIdNumberContext, out.id_number));
  if (!inc.reporter_phone.empty()) {
    PINGAN_ASSIGN_OR_RETURN(out.phone_hash, cipher_->keyed_hash(kPhoneHashKind, normalise_phone(inc.reporter_phone)));
  }
  if (!inc.reporter_id_number.empty()) {
    PINGAN_ASSIGN_OR_RETURN(out.id_hash,
                            cipher_->keyed_hash(kIdNumberHashKind, normalise_id_number(inc.reporter_id_number)));
  }
  // The key of the tokens just made: a ReloadableCipher may have changed
  // its active key since, and personal_key must name the one they carry.
  std::string_view first = !out.phone.empty() ? out.phone : !out.name.empty() ? out.name : out.id_number;
  auto parts = crypto::parse_token(first);
  out.key = parts ? parts->key_id : cipher_->active_key_id();
  return out;
}

Status PersonalFields::open(Incident& inc) const {
  PINGAN_RETURN_IF_ERROR(open_one(cipher_.get(), inc.id, kPhoneContext, inc.reporter_phone));
  PINGAN_RETURN_IF_ERROR(open_one(cipher_.get(), inc.id, kNameContext, inc.reporter_name));
  PINGAN_RETURN_IF_ERROR(open_one(cipher_.get(), inc.id, kIdNumberContext, inc.reporter_id_number));
  return {};
}

Result<std::string> PersonalFields::seal_text(std::string_view plain, std::string_view context) const {
  if (plain.empty() || !cipher_) return std::string(plain);
  return cipher_->seal(plain, context);
}

Result<std::string> PersonalFields::open_text(std::string_view stored, std::string_view context,
                                              std::string_view what) const {
  if (!crypto::is_sealed(stored)) return std::string(stored);
  if (!cipher_)
    return Error::unavailable(fmt::format("{}: {} is encrypted and the store was opened without a key ring "
                                          "(--key-file or PINGAN_DATA_KEYS)",
                                          what, context));
  auto plain = cipher_->open(stored, context);
  if (!plain.ok()) return Error::internal(fmt::format("{}: {}", what, plain.error().message));
  return plain;
}

bool PersonalFields::due(std::string_view stored) const {
  if (!cipher_ || stored.empty()) return false;
  auto parts = crypto::parse_token(stored);
  return !parts || parts->key_id != cipher_->active_key_id();
}

Result<ResealedRow> PersonalFields::reseal_row(const SealedTable& table, std::int64_t id,
                                               std::span<const std::string> stored) const {
  if (stored.size() != table.columns.size())
    return Error::internal(fmt::format("{} {}: {} columns read for {} sealed ones", table.what, id, stored.size(),
                                       table.columns.size()));
  ResealedRow row;
  const std::string what = fmt::format("{} {}", table.what, id);
  for (std::size_t i = 0; i < stored.size(); ++i) {
    const std::string_view context = table.columns[i].context;
    PINGAN_ASSIGN_OR_RETURN(std::string plain, open_text(stored[i], context, what));
    if (!table.id_key_column.empty() && i == table.id_number_column && !plain.empty()) {
      PINGAN_ASSIGN_OR_RETURN(row.id_key, id_number_key(plain));
    }
    PINGAN_ASSIGN_OR_RETURN(std::string sealed, seal_text(plain, context));
    // The key of the first token made: a ReloadableCipher may have changed
    // its active key since, and personal_key must name the one they carry.
    if (!row.key && !sealed.empty()) {
      auto parts = crypto::parse_token(sealed);
      row.key = parts ? parts->key_id : std::string();
    }
    row.columns.push_back(std::move(sealed));
  }
  return row;
}

Result<std::optional<std::string>> PersonalFields::phone_hash(std::string_view phone) const {
  if (!cipher_) return std::optional<std::string>();
  PINGAN_ASSIGN_OR_RETURN(std::string hash, cipher_->keyed_hash(kPhoneHashKind, normalise_phone(phone)));
  return std::optional<std::string>(std::move(hash));
}

Result<std::string> PersonalFields::id_number_key(std::string_view id_number) const {
  const std::string normal = normalise_id_number(id_number);
  if (!cipher_) return normal;
  return cipher_->keyed_hash(kIdNumberHashKind, normal);
}

}  // namespace pingan::stored
