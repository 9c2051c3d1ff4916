.level == "none" and .self_care == "allowed" and .complete and .unanswered == [] and .needed == []
