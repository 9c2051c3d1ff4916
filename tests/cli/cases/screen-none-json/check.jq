.[0] | .level == "none" and .self_care == "allowed" and .flags == [] and .unanswered == [] and .needed == [] and .missing == [] and .complete and (.notice | test("not a diagnosis"))
