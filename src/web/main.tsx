import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AnnouncerProvider } from './components/Announcer.js';
import { SessionProvider, useSession } from './components/session.js';
import { I18nProvider } from './i18n/i18n.js';
import { LoginPage } from './pages/LoginPage.js';
import { PlansPage } from './pages/PlansPage.js';
import { PlanEditorPage } from './pages/planEditor/PlanEditorPage.js';
import { SetupPage } from './pages/SetupPage.js';
import './styles.css';

/** Pages for planners and facilitators: wait for the session, send strangers to the login. */
function RequireUser({ children }: { children: ReactNode }) {
  const { status, session } = useSession();
  if (!status) return null;
  if (!session) return <Navigate to={status.needsSetup ? '/login?setup=1' : '/login'} replace />;
  return children;
}

function App() {
  return (
    <Routes>
      <Route path="/setup" element={<SetupPage />} />
      <Route path="/login" element={<LoginPage />} />
      <Route path="/" element={<RequireUser><PlansPage /></RequireUser>} />
      <Route path="/plans/:planId" element={<RequireUser><PlanEditorPage /></RequireUser>} />
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <AnnouncerProvider>
          <BrowserRouter>
            <App />
          </BrowserRouter>
        </AnnouncerProvider>
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
