#include "yaml/view.h"

namespace rollout_pace {
namespace {

const std::string empty;

}  // namespace

bool node_view::is_null() const {
  if (is_yaml_) return yaml_.IsDefined() && yaml_.IsNull();
  return lite_ && lite_->type == YAML::NodeType::Null;
}

bool node_view::is_map() const { return is_yaml_ ? yaml_.IsMap() : lite_ && lite_->type == YAML::NodeType::Map; }

bool node_view::is_sequence() const {
  return is_yaml_ ? yaml_.IsSequence() : lite_ && lite_->type == YAML::NodeType::Sequence;
}

bool node_view::is_scalar() const {
  return is_yaml_ ? yaml_.IsScalar() : lite_ && lite_->type == YAML::NodeType::Scalar;
}

const std::string& node_view::text() const {
  if (!is_scalar()) return empty;
  return is_yaml_ ? yaml_.Scalar() : lite_->text;
}

std::string node_view::tag() const {
  if (is_yaml_) return yaml_.IsDefined() ? yaml_.Tag() : "";
  return lite_ && lite_->type == YAML::NodeType::Scalar && !lite_->plain ? "!" : "?";
}

bool node_view::block() const {
  if (is_yaml_) return yaml_.IsDefined() && yaml_.Style() == YAML::EmitterStyle::Block;
  return lite_ && !lite_->flow;
}

std::size_t node_view::size() const {
  if (is_yaml_) return yaml_.IsDefined() ? yaml_.size() : 0;
  if (!lite_) return 0;
  return lite_->type == YAML::NodeType::Map ? lite_->items.size() / 2 : lite_->items.size();
}

node_view node_view::item(std::size_t i) const {
  if (is_yaml_) return yaml_.IsSequence() ? node_view(yaml_[i]) : node_view();
  return is_sequence() && i < lite_->items.size() ? node_view(lite_->items[i]) : node_view();
}

long node_view::pos() const {
  if (is_yaml_) return yaml_.IsDefined() ? yaml_.Mark().pos : -1;
  return lite_ ? static_cast<long>(lite_->pos) : -1;
}

long node_view::column() const {
  if (is_yaml_) return yaml_.IsDefined() ? yaml_.Mark().column : -1;
  return lite_ ? static_cast<long>(lite_->column) : -1;
}

}  // namespace rollout_pace
