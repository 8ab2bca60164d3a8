/** The app's entry: read the launch parameters, catch stray errors, mount React. */
// First: Zod must be jitless before any schema is built (the CSP forbids eval; core/zodConfig.ts).
import './core/zodConfig.ts';
import { createRoot } from 'react-dom/client';
import { readLaunch, workerCount } from './state/launch.ts';
import { prestartEngine } from './views/engineClient.ts';
import { App } from './views/App.tsx';
import { catchGlobalErrors } from './views/errors.ts';
import './views/app.css';

catchGlobalErrors();
const launch = readLaunch(window.location.search);
for (const n of launch.notices) console.warn(n);
prestartEngine(launch.pinned, workerCount(launch.workers, launch.state.panels.length));
createRoot(document.getElementById('root')!).render(<App launch={launch} />);
