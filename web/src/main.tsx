import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { OneThingApp } from './shell/app';
import './shell/shell.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html lacks the #root element');

createRoot(container).render(
  <StrictMode>
    <OneThingApp />
  </StrictMode>,
);
