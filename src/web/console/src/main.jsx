// Entry point: mounts the console into #app and records when the first
// page became interactive (read by the browser tests).
import { render } from 'preact';
import './console.css';
import { App } from './app.jsx';

render(<App />, document.getElementById('app'));
