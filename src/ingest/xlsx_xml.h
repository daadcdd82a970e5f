#pragma once
// A small SAX layer over expat for the XML parts of a workbook. Names reach
// the handler without their namespace prefix ("x:c" and "c" alike, as some
// producers prefix SpreadsheetML), since a part's vocabulary is fixed.
//
// A DOCTYPE is refused: no OOXML part has one, and refusing it shuts out
// entity-expansion attacks before expat sees an entity. A malformed part is
// an error naming the part and the line ("xl/worksheets/sheet1.xml, XML line
// 3: not well-formed (invalid token)").

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace pingan::ingest {

// The attributes of one start tag, valid during the call only.
class XmlAttrs {
 public:
  explicit XmlAttrs(const char** attrs) : attrs_(attrs) {}
  // The value of the attribute whose local name (prefix dropped) is `name`.
  std::optional<std::string_view> get(std::string_view name) const;

 private:
  const char** attrs_;
};

// The local part of a qualified name: "r:id" -> "id".
std::string_view local_name(std::string_view qualified);

class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual void on_start(std::string_view name, const XmlAttrs& attrs) {}
  virtual void on_end(std::string_view name) {}
  // Character data, possibly in several pieces per text node.
  virtual void on_text(std::string_view text) {}

 protected:
  // Stops the parse; parse_xml() returns this error.
  void fail(Error error);
  bool failed() const { return error_.has_value(); }
  // The line of the XML being parsed (1-based), for messages.
  long line() const;

 private:
  friend struct XmlParseAccess;  // parse_xml()'s expat callbacks
  void* parser_ = nullptr;       // XML_Parser during parse_xml()
  std::optional<Error> error_;
};

// Parses `xml` (the part `part` of workbook `label`) into `handler`.
Status parse_xml(std::string_view label, std::string_view part, std::string_view xml,
                 XmlHandler& handler);

// Decodes Excel's _xHHHH_ escapes in text ("_x000D_" is a carriage return),
// which it writes for characters XML cannot hold.
std::string decode_excel_escapes(std::string_view text);

}  // namespace pingan::ingest
