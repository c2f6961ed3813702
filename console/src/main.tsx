/** Entry of console.js: mounts the operator console into the page served at /console. */
import { render } from 'preact';
import './console.css';
import { App } from './ui/App.tsx';

render(<App />, document.getElementById('root')!);
