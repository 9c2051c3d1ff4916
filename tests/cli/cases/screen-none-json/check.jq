.[0] | .level == "none" and .self_care == "allowed" and .flags == [] and .unanswered == [] and .complete and (.notice | test("not a diagnosis"))
