"""The file writers. Their modules load xlsxwriter, so callers import them lazily."""
