.[0] | .pattern == "unclear" and .explanation.causes == [] and (.explanation.unexplained | length) == 3 and all(.candidates[]; .probability < 0.35)
