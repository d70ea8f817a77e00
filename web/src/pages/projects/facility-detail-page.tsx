import { DeleteOutlined, EditOutlined, UploadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  type ButtonProps,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Image,
  Popconfirm,
  Row,
  Typography,
  Upload,
} from 'antd';
import { useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { parseDecimal, type Rational } from '../../../../src/indicators/exact.ts';
import { apiClient, fileBody, unwrap } from '../../api/client.ts';
import type { Facility, ScorecardIndicator } from '../../api/types.ts';
import { errorMessage } from '../../api.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState, NotFoundState } from '../../components/states.tsx';
import { can } from '../../permissions.ts';
import { useMe } from '../../session.tsx';
import { formatDate, todayInShanghai } from '../../time.ts';
import { type Loaded, useLoader } from '../../use-loader.ts';
import { FacilityDeleteButton, FacilityFormModal } from './facility-form-modal.tsx';
import { featureNames, PlanCheckBlock, squareMetres } from './facility-plan-check.tsx';
import { facilityKindLabels } from './project-types.ts';

type FacilityPhoto = Facility['photos'][number];

/** The facility, and this year's scorecard of its e-town for those who may read scorecards. */
function useFacilityWithScorecard(id: string) {
  const me = useMe();
  const loaded = useLoader(
    () => unwrap(apiClient.GET('/api/facilities/{id}', { params: { path: { id } } })),
    id,
  );
  const etownCode = loaded.data?.etownCode;
  const year = todayInShanghai().slice(0, 4);
  const scorecard = useLoader(
    etownCode && can.readScorecards(me.role)
      ? () =>
          unwrap(
            apiClient.GET('/api/etowns/{code}/scorecard', {
              params: { path: { code: etownCode }, query: { year: Number(year) } },
            }),
          )
      : null,
    `${etownCode}|${year}`,
  );
  return { loaded, scorecard, year };
}

function FacilityInfoCard({ facility }: { facility: Facility }) {
  return (
    <Card title="设施信息" data-testid="facility-info">
      <Descriptions column={1} size="small">
        <Descriptions.Item label="所在e镇">{facility.etownName}</Descriptions.Item>
        <Descriptions.Item label="类型">{facilityKindLabels[facility.kind]}</Descriptions.Item>
        <Descriptions.Item label="建筑面积">
          <span data-testid="facility-info-area">
            {squareMetres(parseDecimal(facility.buildingAreaM2) as Rational)}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label="功能分区">{featureNames(facility.features) || '—'}</Descriptions.Item>
        <Descriptions.Item label="投入使用">
          <span data-testid="facility-info-opened">{formatDate(facility.openedOn)}</span>
        </Descriptions.Item>
        <Descriptions.Item label="所属项目">
          {facility.projectId ? (
            <Link to={`/projects/${facility.projectId}`}>{facility.projectName}</Link>
          ) : (
            '—'
          )}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

/** 对照规划建设标准: each constraining indicator's plan check, with the e-town's verdict when known. */
function PlanChecksCard({
  facility,
  indicators,
  year,
}: {
  facility: Facility;
  indicators: ScorecardIndicator[] | undefined;
  year: string;
}) {
  const indicatorOf = (no: number) => indicators?.find((indicator) => indicator.no === no);
  return (
    <Card
      title="对照规划建设标准"
      data-testid="facility-plan-checks"
      extra={
        indicators && (
          <Link to={`/etowns/${facility.etownCode}/scorecard?year=${year}`}>查看本镇指标看板</Link>
        )
      }
    >
      {facility.planChecks.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="该类设施没有对应的约束性指标" />
      ) : (
        <Flex vertical gap={24}>
          {facility.planChecks.map((check) => (
            <PlanCheckBlock
              key={check.indicatorNo}
              facility={facility}
              check={check}
              indicator={indicatorOf(check.indicatorNo)}
            />
          ))}
          <Typography.Text type="secondary">
            {`计分口径：本镇同类设施中任一处符合，即满足该项设施要求（${year} 年度）。`}
          </Typography.Text>
        </Flex>
      )}
    </Card>
  );
}

/** Uploads photos of the facility; several may run at once, the button spins while any does. */
function FacilityPhotoUpload({ id, loaded }: { id: string; loaded: Loaded<Facility> }) {
  const { message } = App.useApp();
  const [uploads, setUploads] = useState(0);
  const upload = (file: File) => {
    setUploads((count) => count + 1);
    apiClient
      .POST('/api/facilities/{id}/photos', {
        params: { path: { id }, query: { fileName: file.name } },
        ...fileBody(file),
      })
      .then(() => {
        message.success(`已上传照片「${file.name}」`);
        // Several uploads may finish out of order; the last reload shows them all.
        return loaded.reload();
      })
      .catch((failure) => message.error(errorMessage(failure)))
      .finally(() => setUploads((count) => count - 1));
    return false;
  };
  return (
    <Upload accept="image/jpeg,image/png,image/webp" showUploadList={false} multiple beforeUpload={upload}>
      <Button
        size="small"
        icon={<UploadOutlined />}
        loading={uploads > 0}
        data-testid="facility-photo-upload"
      >
        上传照片
      </Button>
    </Upload>
  );
}

function FacilityPhotoTile({
  id,
  photo,
  writable,
  onRemove,
}: {
  id: string;
  photo: FacilityPhoto;
  writable: boolean;
  onRemove: (photo: FacilityPhoto) => Promise<void>;
}) {
  return (
    <Flex vertical gap={4} style={{ width: 160 }} data-testid="facility-photo">
      <Image
        src={`/api/facilities/${id}/photos/${photo.id}`}
        width={160}
        height={120}
        style={{ objectFit: 'cover', borderRadius: 6 }}
        alt={photo.fileName}
      />
      <Flex justify="space-between" align="center" gap={4}>
        <Typography.Text ellipsis={{ tooltip: photo.fileName }} style={{ minWidth: 0 }}>
          {photo.fileName}
        </Typography.Text>
        {writable && (
          <Popconfirm
            title={`删除照片「${photo.fileName}」？`}
            okText="删除"
            cancelText="取消"
            okButtonProps={{ danger: true, 'data-testid': 'facility-photo-delete-confirm' } as ButtonProps}
            onConfirm={() => onRemove(photo)}
          >
            <Button
              type="text"
              size="small"
              danger
              icon={<DeleteOutlined />}
              aria-label={`删除照片${photo.fileName}`}
              data-testid="facility-photo-delete"
            />
          </Popconfirm>
        )}
      </Flex>
    </Flex>
  );
}

function FacilityPhotosCard({ loaded, writable }: { loaded: Loaded<Facility>; writable: boolean }) {
  const { message } = App.useApp();
  const facility = loaded.data;
  if (!facility) return null;
  const id = facility.id;
  const removePhoto = async ({ id: photoId, fileName }: FacilityPhoto) => {
    try {
      loaded.setData(
        await unwrap(
          apiClient.DELETE('/api/facilities/{id}/photos/{photoId}', { params: { path: { id, photoId } } }),
        ),
      );
      message.success(`已删除照片「${fileName}」`);
    } catch (failure) {
      message.error(errorMessage(failure));
    }
  };
  return (
    <Card
      title={`设施照片（${facility.photos.length}）`}
      data-testid="facility-photos"
      extra={writable && <FacilityPhotoUpload id={id} loaded={loaded} />}
    >
      {facility.photos.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有照片（JPEG、PNG 或 WebP，≤ 5 MB）" />
      ) : (
        <Image.PreviewGroup>
          <Flex wrap gap={16}>
            {facility.photos.map((photo) => (
              <FacilityPhotoTile
                key={photo.id}
                id={id}
                photo={photo}
                writable={writable}
                onRemove={removePhoto}
              />
            ))}
          </Flex>
        </Image.PreviewGroup>
      )}
    </Card>
  );
}

export function FacilityDetailPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [editing, setEditing] = useState(false);
  // After a version conflict the page reloads when the form closes, so the next edit starts from what is stored.
  const stale = useRef(false);
  const { loaded, scorecard, year } = useFacilityWithScorecard(id);
  const writable = can.writeProjects(me.role);
  if (loaded.notFound) return <NotFoundState what="设施" backTo="/projects/facilities" />;
  if (loaded.error) return <ErrorState message={loaded.error} onRetry={loaded.reload} />;
  const facility = loaded.data;
  if (!facility) return <LoadingState />;

  return (
    <>
      <PageHeader
        title={facility.name}
        crumbs={[
          { title: '项目与设施', to: '/projects' },
          { title: '设施', to: '/projects/facilities' },
          { title: facility.name },
        ]}
        subtitle={`${facilityKindLabels[facility.kind]} · ${facility.etownName}`}
        extra={
          writable && (
            <>
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="facility-edit">
                修改
              </Button>
              <FacilityDeleteButton facility={facility} onDeleted={() => navigate('/projects/facilities')} />
            </>
          )
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={8}>
          <FacilityInfoCard facility={facility} />
        </Col>
        <Col xs={24} xl={16}>
          <PlanChecksCard facility={facility} indicators={scorecard.data?.indicators} year={year} />
        </Col>
        <Col span={24}>
          <FacilityPhotosCard loaded={loaded} writable={writable} />
        </Col>
      </Row>
      <FacilityFormModal
        facility={facility}
        open={editing}
        onClose={() => {
          setEditing(false);
          if (stale.current) {
            stale.current = false;
            void loaded.reload();
          }
        }}
        onStale={() => {
          stale.current = true;
        }}
        onSaved={(next) => {
          loaded.setData(next);
          void scorecard.reload();
          message.success('已保存');
        }}
      />
    </>
  );
}
