import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles/base.css';
import { App } from './app/App';
import { EngineProvider } from './api/engine';

const root = document.getElementById('root');
if (!root) throw new Error('Funcdeck: #root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <EngineProvider>
      <App />
    </EngineProvider>
  </StrictMode>,
);
