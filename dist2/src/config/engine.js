/** The engine options a configuration and a selection mean. */
export function engineOptionsFor(config, selection) {
    const options = { rules: selection.rules, severities: config.rules, tests: config.tests, scripts: config.scripts, generated: config.generated };
    if (selection.select && selection.select.length > 0)
        options.select = selection.select;
    if (selection.ignore && selection.ignore.length > 0)
        options.ignore = selection.ignore;
    if (selection.maxFileBytes !== undefined)
        options.maxFileBytes = selection.maxFileBytes;
    return options;
}
//# sourceMappingURL=engine.js.map