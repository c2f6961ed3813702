// The contract between server, widget and operator console. Imports nothing else of the project.
export * from './categories.ts';
export * from './messages.ts';
export * from './visitor-events.ts';
export * from './operator-events.ts';
export * from './widget-settings.ts';
export * from './insights.ts';
