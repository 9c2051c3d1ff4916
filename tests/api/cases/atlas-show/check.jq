.cause == "tp:piriformis" and (.sources | length) > 0
