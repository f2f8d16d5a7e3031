import { useNavigate } from 'react-router-dom';
import { Button, Result } from 'antd';
import { useDocumentTitle, useI18n } from './i18n';
import { shellText } from './messages';

/** Shown for any path the app does not know. */
export function NotFoundPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  useDocumentTitle(shellText.notFoundTitle);
  return (
    <Result
      status="404"
      title={t(shellText.notFoundTitle)}
      subTitle={t(shellText.notFoundBody)}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t(shellText.backToHall)}
        </Button>
      }
    />
  );
}
